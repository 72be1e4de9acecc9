import Foundation

/// Reads a configuration file and words a failure the way an operator expects (`no such file`).
enum FileReading {
    static func text(ofFile path: String) throws(ConfigurationError) -> String {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let text = String(data: data, encoding: .utf8) else {
                throw ConfigurationError.unreadableFile(file: path, reason: "not UTF-8 text")
            }
            return text
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw .unreadableFile(file: path, reason: reason(for: error))
        }
    }

    static func reason(for error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSCocoaErrorDomain {
            switch nsError.code {
            case NSFileReadNoSuchFileError: return "no such file"
            case NSFileReadNoPermissionError: return "permission denied"
            default: break
            }
        }
        return nsError.localizedDescription
    }

    static func isReadable(_ path: String) -> Bool {
        FileManager.default.isReadableFile(atPath: path)
    }

    /// `path` relative to the directory of `file` unless it is absolute.
    static func resolve(_ path: String, relativeTo file: String) -> String {
        if path.hasPrefix("/") { return path }
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        return directory.appendingPathComponent(path).path
    }
}
