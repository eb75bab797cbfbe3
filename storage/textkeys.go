package storage

import "motcua/app"

// Exported forms of the key functions the bbolt indexes use, so that the
// PostgreSQL store (storage/postgres) and the shared conformance suite
// (storage/storetest) index and search exactly as this package does.

// IDKey is how an ID number is indexed (trimmed, upper case).
func IDKey(s string) string { return idKey(s) }

// PhoneKey is how a phone number is indexed (separators removed, +84 → 0).
func PhoneKey(s string) string { return phoneKey(s) }

// LooksLikeCode reports whether upper-cased search text is a dossier code or
// its beginning (searched by code prefix).
func LooksLikeCode(up string) bool { return validCodeText(up) }

// IsDigits reports whether s is non-empty and all ASCII digits.
func IsDigits(s string) bool { return isDigits(s) }

// IsIDToken reports whether upper-cased search text is a passport or tax
// number being typed (one token of 5+ letters and digits with a digit).
func IsIDToken(up string) bool { return isIDToken(up) }

// SearchWords returns the distinct search words of a name (folded, sorted).
func SearchWords(name string) []string { return distinctWords(app.Fold(name)) }
