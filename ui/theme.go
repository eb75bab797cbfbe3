package ui

import (
	"image/color"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// officeTheme is Fyne's default theme in its light variant whatever the
// system prefers: counters are bright rooms, and the screen then looks like
// the printed forms. FYNE_THEME=dark still gives the dark variant.
type officeTheme struct{ fyne.Theme }

func (t officeTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if os.Getenv("FYNE_THEME") != "dark" {
		v = theme.VariantLight
	}
	return t.Theme.Color(n, v)
}

func useOfficeTheme(fa fyne.App) {
	fa.Settings().SetTheme(officeTheme{theme.DefaultTheme()})
}
