import MariaDB

extension PHPListDatabase {
    /// The campaigns PHPList 3.6.15's processqueue would pick now, oldest first: any status but
    /// draft, sent, prepared and suspended, with an embargo that has passed (server time).
    public func queuedCampaignIDs() async throws -> [Int] {
        let rows = try await pool.query(
            """
            SELECT id FROM \(tables.message)
            WHERE status NOT IN ('draft', 'sent', 'prepared', 'suspended') AND embargo <= NOW()
            ORDER BY entered
            """
        )
        return try rows.map { try $0.decode("id") }
    }

    public func campaign(id: Int) async throws -> Campaign {
        let rows = try await pool.query("SELECT * FROM \(tables.message) WHERE id = ?", [id])
        guard let row = rows.first else { throw PHPListError.campaignNotFound(id: id) }
        return Campaign(
            id: try row.decode("id"),
            uuid: try row.decode("uuid", as: String?.self) ?? "",
            subject: try row.decode("subject", as: String?.self) ?? "",
            fromField: try row.decode("fromfield", as: String?.self) ?? "",
            replyTo: try row.decode("replyto", as: String?.self) ?? "",
            message: try row.decode("message", as: String?.self) ?? "",
            textMessage: try row.decode("textmessage", as: String?.self) ?? "",
            footer: try row.decode("footer", as: String?.self) ?? "",
            status: Campaign.Status(try row.decode("status", as: String?.self) ?? ""),
            sendFormat: try row.decode("sendformat", as: String?.self) ?? "",
            htmlFormatted: (try row.decode("htmlformatted", as: Int?.self) ?? 0) != 0,
            templateID: try row.decode("template", as: Int?.self).flatMap { $0 > 0 ? $0 : nil },
            entered: try row.decode("entered"),
            embargo: try row.decode("embargo"),
            sendStart: try row.decode("sendstart"),
            sent: try row.decode("sent"),
            repeatInterval: try row.decode("repeatinterval", as: Int?.self) ?? 0,
            repeatUntil: try row.decode("repeatuntil"),
            requeueInterval: try row.decode("requeueinterval", as: Int?.self) ?? 0,
            requeueUntil: try row.decode("requeueuntil"),
            processed: try row.decode("processed", as: Int?.self) ?? 0,
            bounceCount: try row.decode("bouncecount", as: Int?.self) ?? 0,
            owner: try row.decode("owner", as: Int?.self)
        )
    }

    public func messageData(campaign id: Int) async throws -> MessageData {
        let rows = try await pool.query("SELECT name, data FROM \(tables.messageData) WHERE id = ?", [id])
        var raw: [String: String] = [:]
        for row in rows { raw[try row.decode("name")] = try row.decode("data", as: String?.self) ?? "" }
        return MessageData(campaignID: id, raw: raw)
    }

    /// The lists a campaign goes to (`listmessage`), in list id order.
    public func campaignListIDs(campaign id: Int) async throws -> [Int] {
        let rows = try await pool.query(
            "SELECT DISTINCT listid FROM \(tables.listMessage) WHERE messageid = ? ORDER BY listid", [id]
        )
        return try rows.map { try $0.decode("listid") }
    }

    public func template(id: Int) async throws -> Template? {
        let rows = try await pool.query("SELECT id, title, template FROM \(tables.template) WHERE id = ?", [id])
        guard let row = rows.first else { return nil }
        let imageRows = try await pool.query(
            "SELECT id, mimetype, filename, data FROM \(tables.templateImage) WHERE template = ? ORDER BY id", [id]
        )
        let images = try imageRows.map { image in
            TemplateImage(
                id: try image.decode("id"),
                mimeType: try image.decode("mimetype", as: String?.self) ?? "application/octet-stream",
                filename: try image.decode("filename", as: String?.self) ?? "",
                base64Data: try image.decode("data", as: String?.self) ?? ""
            )
        }
        return Template(
            id: try row.decode("id"),
            title: try row.decode("title", as: String?.self) ?? "",
            html: try row.decode("template", as: String?.self) ?? "",
            images: images
        )
    }

    public func attachments(campaign id: Int) async throws -> [Attachment] {
        let rows = try await pool.query(
            """
            SELECT a.id, a.filename, a.remotefile, a.mimetype, a.description, a.size
            FROM \(tables.attachment) a JOIN \(tables.messageAttachment) ma ON ma.attachmentid = a.id
            WHERE ma.messageid = ? ORDER BY ma.id
            """,
            [id]
        )
        return try rows.map { row in
            Attachment(
                id: try row.decode("id"),
                filename: try row.decode("filename", as: String?.self) ?? "",
                remoteFile: try row.decode("remotefile", as: String?.self) ?? "",
                mimeType: try row.decode("mimetype", as: String?.self) ?? "application/octet-stream",
                description: try row.decode("description", as: String?.self) ?? "",
                size: try row.decode("size", as: Int?.self) ?? 0
            )
        }
    }

    /// PHPList's bounce rules in the order it applies them (`listorder`), active and candidate alike.
    public func bounceRules() async throws -> [BounceRule] {
        let rows = try await pool.query(
            "SELECT id, regex, action, listorder, status, count FROM \(tables.bounceRegex) ORDER BY listorder, id"
        )
        return try rows.map { row in
            BounceRule(
                id: try row.decode("id"),
                regex: try row.decode("regex", as: String?.self) ?? "",
                rawAction: try row.decode("action", as: String?.self) ?? "",
                listOrder: try row.decode("listorder", as: Int?.self) ?? 0,
                active: (try row.decode("status", as: String?.self) ?? "") == "active",
                count: try row.decode("count", as: Int?.self) ?? 0
            )
        }
    }
}
