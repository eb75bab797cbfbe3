package forms

import (
	"os"
	"path/filepath"
	"testing"
)

// TestUpdatePNG writes page 1 of every form to testdata/*.png for review
// when MOTCUA_UPDATE_PNG=1: go test ./forms -run UpdatePNG.
func TestUpdatePNG(t *testing.T) {
	if os.Getenv("MOTCUA_UPDATE_PNG") != "1" {
		t.Skip("set MOTCUA_UPDATE_PNG=1 to regenerate testdata/*.png")
	}
	for name, render := range everyForm(testOffice()) {
		b, err := render()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p := writePDF(t, name+".pdf", b)
		out := filepath.Join("testdata", name)
		run(t, "pdftoppm", "-r", "70", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile", p, out)
	}
}
