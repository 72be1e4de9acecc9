import MariaDB

/// Lists: one with the same name in both databases is one list (unless --keep-lists-apart);
/// templates likewise by title (PHPList keeps template titles unique).
extension ImportSession {
    func importLists() throws {
        guard let sourceLists = sourceTable(src.list) else { return }
        let targetLists = try targetTable(dst.list)
        let columns = sharedColumns(sourceLists, targetLists)
        try forEachSourcePage("lists", table: sourceLists) { rows, _, _ in
            for row in rows {
                guard let id = row.int("id") else { continue }
                if ledger.lookup("list", id) != nil { continue }
                let name = row.string("name") ?? ""
                if !options.keepListsApart, let existing = try target.query(
                    "SELECT id FROM `\(targetLists.name)` WHERE name = ? ORDER BY id LIMIT 1", [name]
                ).first {
                    ledger.record("list", id, try existing.decode("id", as: Int64.self))
                    report.merged("lists")
                } else {
                    try insert(into: targetLists, columns: columns, rows: [row])
                    ledger.record("list", id, try lastInsertID())
                    report.added("lists")
                }
            }
        }
    }

    func importTemplates() throws {
        guard let sourceTemplates = sourceTable(src.template) else { return }
        let targetTemplates = try targetTable(dst.template)
        let columns = sharedColumns(sourceTemplates, targetTemplates)
        try forEachSourcePage("templates", table: sourceTemplates) { rows, _, _ in
            for row in rows {
                guard let id = row.int("id") else { continue }
                if ledger.lookup("template", id) != nil { continue }
                if let existing = try target.query(
                    "SELECT id FROM `\(targetTemplates.name)` WHERE title = ? LIMIT 1", [row.string("title") ?? ""]
                ).first {
                    ledger.record("template", id, try existing.decode("id", as: Int64.self))
                    report.merged("templates")
                } else {
                    try insert(into: targetTemplates, columns: columns, rows: [row])
                    let targetID = try lastInsertID()
                    ledger.record("template", id, targetID)
                    // Only an added template brings its images (importTemplateImages).
                    ledger.record("template added", id, targetID)
                    report.added("templates")
                }
            }
        }
    }

    func lastInsertID() throws -> Int64 {
        try target.query("SELECT LAST_INSERT_ID() AS id").first!.decode("id", as: Int64.self)
    }
}
