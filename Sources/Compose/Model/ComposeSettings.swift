/// Installation-wide values that shape a message: phplist_config rows, config.php settings and PHPList
/// constants, with PHPList 3.6.15's defaults. The lead fills them from PHPList's config.
public struct ComposeSettings: Sendable {
    /// config `website` (host[:port], no scheme): every public URL is built from it.
    public var website: String
    /// config `domain`: Message-ID right-hand side.
    public var domain: String
    /// config.php $public_scheme
    public var publicScheme: String = "http"
    /// config.php $pageroot
    public var pageRoot: String = "/lists"
    /// config `organisation_name` ([ORGANISATION_NAME])
    public var organisationName: String = ""
    /// config.php $message_envelope (MAIL FROM); PHPList falls back to `admin_address` when unset.
    public var messageEnvelope: String?
    /// config `admin_address` (List-Owner, envelope fallback)
    public var adminAddress: String
    /// config `message_from_address` (From when the campaign's from field has no address)
    public var messageFromAddress: String?
    /// config `xormask` (32 hex, the key of HTML click-tracking ids)
    public var xormask: String
    /// config `hmackey` and SIGN_WITH_HMAC (default off): appends &hm= to tracked links.
    public var hmacKey: String = ""
    public var signWithHMAC: Bool = false
    /// VERSION: goes in X-phpList-version and the "powered by" block.
    public var version: String = "3.6.15"
    /// The version header: PHPList's `X-phpList-version: <version>`, a replacement, or none.
    public var versionHeader: VersionHeader = .phpList
    /// The "powered by" signature PHPList always adds (EMAILTEXTCREDITS=false: image; true: text).
    public var poweredBy: PoweredBy = .image(png: [])
    /// ALWAYS_ADD_USERTRACK (default true): the open pixel before </body>.
    public var alwaysAddUserTrack: Bool = true
    /// CLICKTRACK (default true)
    public var clickTrack: Bool = true
    /// USE_PRECEDENCE_HEADER (default true, value "bulk"); nil omits it.
    public var precedence: String? = "bulk"
    /// GOOGLE_SENDERID ("" = no Feedback-ID header)
    public var googleSenderID: String = ""
    /// USE_MANUAL_TEXT_PART (default false: the text part is generated from the HTML)
    public var useManualTextPart: Bool = false
    /// config `wordwrap` (PHPMailer WordWrap for the text part; default 75)
    public var wordWrap: Int = 75
    /// config `alwayssendtextto`: recipient domains that get the text-only message
    public var alwaysSendTextToDomains: Set<String> = []
    /// config `html_email_style`, added to the generated <head> when no template is used
    public var htmlEmailStyle: String = ""
    /// Facteur option: personalise the Subject header too (PHPList 3.6.15 core does not).
    public var personaliseSubject: Bool = false
    /// Attribute names defined in phplist_user_attribute (placeholders [NAME]); names longer than 30
    /// bytes are ignored as in PHPList.
    public var attributeNames: [String] = []
    /// Public URLs (config values, defaults built from website + pageroot as PHPList's getConfig does).
    public var urls: PublicURLs
    /// Language strings PHPList puts in messages.
    public var strings: Strings = Strings()

    public init(website: String, domain: String, adminAddress: String, xormask: String,
                pageRoot: String = "/lists", publicScheme: String = "http") {
        self.website = website
        self.domain = domain
        self.adminAddress = adminAddress
        self.xormask = xormask
        self.pageRoot = pageRoot
        self.publicScheme = publicScheme
        self.urls = PublicURLs(website: website, pageRoot: pageRoot, scheme: publicScheme)
    }

    public enum VersionHeader: Sendable {
        case phpList
        case custom(name: String, value: String)
        case omitted
    }

    /// VERP envelope senders (off by default): `<local>+<campaign>.<subscriber>.<sig>@<domain>`.
    public var verp: VERPAddress.Config?

    public enum PoweredBy: Sendable {
        /// The <p class="poweredby"> block with the image inline by Content-ID (phplist_templateimage
        /// template 0, powerphplist.png).
        case image(png: [UInt8])
        /// The small "powered by phpList" text block (EMAILTEXTCREDITS).
        case text
        /// Facteur option: no signature at all.
        case none
    }

    public struct PublicURLs: Sendable {
        public var unsubscribe: String
        public var preferences: String
        public var subscribe: String
        public var forward: String
        public var blacklist: String
        public var confirmation: String
        public var vcard: String

        public init(website: String, pageRoot: String, scheme: String = "http") {
            let base = "\(scheme)://\(website)\(pageRoot)/?p="
            unsubscribe = base + "unsubscribe"
            preferences = base + "preferences"
            subscribe = base + "subscribe"
            forward = base + "forward"
            blacklist = base + "donotsend"
            confirmation = base + "confirm"
            vcard = base + "vcard"
        }
    }

    public struct Strings: Sendable {
        public var thisLink = "this link"
        public var unsubscribe = "Unsubscribe"
        public var noListsFound = "No lists found"
        public var contactMessage = "Add us to your address book"
        public var attachmentIntro = "This message contains attachments that can be viewed with a webbrowser:"
        public var location = "Location"
        public init() {}
    }

    /// $public_scheme://website$pageroot
    var publicRoot: String { "\(publicScheme)://\(website)\(pageRoot)" }
}
