/// What can stop a campaign from compiling or a message from rendering, in words an operator can act on.
public enum ComposeError: Error, Equatable, CustomStringConvertible {
    case attachmentUnreadable(path: String)
    case missingLinkTrackUUID(url: String, campaign: Int)
    case pdfFormatUnsupported(campaign: Int, format: String)
    case emptyXORMask
    case dkimKeyInvalid(selector: String, reason: String)

    public var description: String {
        switch self {
        case .attachmentUnreadable(let path):
            return "attachment file \(path) cannot be read; check PHPList's $attachment_repository and permissions"
        case .missingLinkTrackUUID(let url, let campaign):
            return "campaign \(campaign): no phplist_linktrack_forward uuid for \(url); insert the tracked links "
                + "returned by CompiledCampaign.trackedLinks before rendering"
        case .pdfFormatUnsupported(let campaign, let format):
            return "campaign \(campaign) uses send format '\(format)': PDF generation is not supported by Facteur; "
                + "change the campaign's format or send it with PHPList"
        case .emptyXORMask:
            return "config value 'xormask' is empty: PHPList creates it on first page load; open the admin UI once"
        case .dkimKeyInvalid(let selector, let reason):
            return "DKIM key for selector \(selector) is invalid: \(reason)"
        }
    }
}
