/// A campaign template (`template`) and its images (`templateimage`, served inline by Content-ID).
public struct Template: Sendable, Equatable, Identifiable {
    public let id: Int
    public let title: String
    public let html: String
    public let images: [TemplateImage]

    public init(id: Int, title: String, html: String, images: [TemplateImage]) {
        self.id = id
        self.title = title
        self.html = html
        self.images = images
    }
}

public struct TemplateImage: Sendable, Equatable {
    public let id: Int
    public let mimeType: String
    public let filename: String
    /// PHPList stores the image base64-encoded in `data`.
    public let base64Data: String

    public init(id: Int, mimeType: String, filename: String, base64Data: String) {
        self.id = id
        self.mimeType = mimeType
        self.filename = filename
        self.base64Data = base64Data
    }
}
