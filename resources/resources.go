// Package resources holds the assets embedded in the binary: the seed
// procedure catalogue, translations and the icon. It has no logic.
package resources

import _ "embed"

// Catalogue is the seed procedure catalogue (domain.md §8), JSON array of
// app.Procedure. Loaded into the database on first use, editable afterwards.
//
//go:embed catalogue.json
var Catalogue []byte
