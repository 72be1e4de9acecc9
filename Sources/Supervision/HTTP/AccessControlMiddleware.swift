import Hummingbird

/// Lets a request through only with the configured credentials; `/health` stays open (a liveness probe
/// often cannot send a token, and the answer tells nothing but "the process answers").
/// Added to the router before any route, so it guards every route, including those mounted by others.
struct AccessControlMiddleware<Context: RequestContext>: RouterMiddleware {
    let credentials: HTTPCredentials
    let openPaths: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if openPaths.contains(request.uri.path) || credentials.accepts(authorization: request.headers[.authorization]) {
            return try await next(request, context)
        }
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = credentials.basic != nil ? "Basic realm=\"facteur\"" : "Bearer realm=\"facteur\""
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .unauthorized, headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: "unauthorized: send http.token as a bearer token or http.basic_auth\n")))
    }
}
