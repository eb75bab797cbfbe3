package forms

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestUpdatePNG writes every page of every form, from the realistic data, in
// both wording sets, to testdata/{set}/*.png for review when
// MOTCUA_UPDATE_PNG=1: go test ./forms -run UpdatePNG.
func TestUpdatePNG(t *testing.T) {
	if os.Getenv("MOTCUA_UPDATE_PNG") != "1" {
		t.Skip("set MOTCUA_UPDATE_PNG=1 to regenerate testdata/*/*.png")
	}
	for _, set := range FormSets() {
		dir := filepath.Join("testdata", set)
		old, _ := filepath.Glob(filepath.Join(dir, "*.png"))
		for _, f := range old {
			os.Remove(f)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		o := realOffice(set)
		for name, render := range realForms(o) {
			b, err := render()
			if err != nil {
				t.Fatalf("%s %s: %v", set, name, err)
			}
			p := writePDF(t, name+".pdf", b)
			run(t, "pdftoppm", "-r", "60", "-gray", "-png", p, filepath.Join(dir, name))
		}
		shrinkPNGs(t, dir)
		o.Paper = "A5"
		for _, name := range []string{"01-receipt", "04-apology"} {
			b, err := realForms(o)[name]()
			if err != nil {
				t.Fatal(err)
			}
			p := writePDF(t, name+"-a5.pdf", b)
			run(t, "pdftoppm", "-r", "60", "-gray", "-png", p, filepath.Join(dir, fmt.Sprintf("%s-a5", name)))
		}
		shrinkPNGs(t, dir)
	}
}

// shrinkPNGs keeps 16 grey levels: a third of the bytes, as legible.
func shrinkPNGs(t *testing.T, dir string) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.png"))
	for _, f := range files {
		run(t, "convert", f, "-colors", "16", "-depth", "4", f)
	}
}
