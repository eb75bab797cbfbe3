package resources

import "embed"

// Translations holds the user interface strings, one go-i18n JSON file per
// language (vi.json, en.json). The source strings are Vietnamese; both files
// also carry Fyne's own keys ("Cancel", "OK", weekday names…) because Fyne
// ships no Vietnamese bundle.
//
//go:embed translations/*.json
var Translations embed.FS

// Icon is the application icon (PNG, 512×512).
//
//go:embed icon.png
var Icon []byte
