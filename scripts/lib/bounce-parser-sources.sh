# Sourced by scripts that compile the bounce parser alone with swiftc (no package build, no NIO):
#   copy_bounce_parser_sources DIR    copies MIME, Parsing, Classification, the report formatter and
#                                     SMTP's EnhancedStatus into DIR, `import SMTP` removed (one module);
#                                     unchanged files keep their time stamp, so a build can be skipped.
copy_bounce_parser_sources() {
  local dest=$1 file
  mkdir -p "$dest"
  for file in "$here"/Sources/Bounces/{MIME,Parsing,Classification}/*.swift "$here"/Sources/Bounces/Report/BounceReportFormatter.swift \
              "$here"/Sources/SMTP/EnhancedStatus.swift; do
    sed '/^import SMTP$/d' "$file" >"$dest/.next"
    if cmp -s "$dest/.next" "$dest/$(basename "$file")"; then rm "$dest/.next"; else mv "$dest/.next" "$dest/$(basename "$file")"; fi
  done
}
