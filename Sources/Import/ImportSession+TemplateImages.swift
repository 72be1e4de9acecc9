import MariaDB

/// Template images (`templateimage`) belong to a template and are found by template id and file name.
/// An added template brings its images; a template merged by title keeps the target's. Images of
/// template 0 are PHPList's own (the "powered by" logo): one the target has by file name is kept.
extension ImportSession {
    func importTemplateImages() throws {
        guard let sourceImages = sourceTable(src.templateImage), let targetImages = targetLayout.table(dst.templateImage) else { return }
        let columns = sharedColumns(sourceImages, targetImages)
        try forEachSourcePage("template images", table: sourceImages) { rows, _, _ in
            for var row in rows {
                guard let id = row.int("id"), ledger.lookup("template image", id) == nil else { continue }
                let template = row.int("template") ?? 0
                var targetTemplate: Int64 = 0
                if template != 0 {
                    guard let added = ledger.lookup("template added", template) else {
                        report.skipped("template images", ledger.lookup("template", template) == nil
                            ? "template not in the source's template table" : "the target's template of the same title keeps its images")
                        continue
                    }
                    targetTemplate = added
                } else if let existing = try target.query(
                    "SELECT id FROM `\(targetImages.name)` WHERE template = 0 AND filename <=> ? LIMIT 1", [row["filename"]]
                ).first {
                    ledger.record("template image", id, try existing.decode("id", as: Int64.self))
                    report.merged("template images")
                    continue
                }
                row["template"] = .int(targetTemplate)
                try insert(into: targetImages, columns: columns, rows: [row])
                ledger.record("template image", id, try lastInsertID())
                report.added("template images")
            }
        }
    }
}
