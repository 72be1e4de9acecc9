/// PHP string functions PHPList applies to what it stores, reproduced where Facteur reads or writes the same data.
public enum PHPStrings {
    /// PHP's `stripslashes()`: a backslash escapes the next character; `\0` is a NUL; a lone trailing backslash is dropped.
    public static func stripSlashes(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var out = String.UnicodeScalarView()
        var escaped = false
        for scalar in text.unicodeScalars {
            if escaped {
                out.append(scalar == "0" ? "\0" : scalar)
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// PHP's `addslashes()`: backslash before `'`, `"`, `\` and NUL.
    public static func addSlashes(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "'", "\"", "\\": out.append("\\"); out.append(scalar)
            case "\0": out.append("\\"); out.append("0")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// PHP 8's htmlspecialchars defaults (ENT_QUOTES | ENT_SUBSTITUTE | ENT_HTML401).
    public static func htmlSpecialChars(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#039;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
