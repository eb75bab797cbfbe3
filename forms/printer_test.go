package forms

import (
	"path/filepath"
	"strings"
	"testing"

	"motcua/app"
)

// TestPrinterUsesTheSettings: the form an online decision sends back is the
// office's own: its form set and its public address in the QR code.
func TestPrinterUsesTheSettings(t *testing.T) {
	st := app.DefaultSettings()
	st.PublicURL = "https://lienthong.thanhhoa.gov.vn"
	b, err := Printer{}.PrintForm(string(KindReceipt), testOffice().Agency, st, testDossier(), officer)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "%PDF") {
		t.Fatalf("not a PDF: %.20q", b)
	}
	p := writePDF(t, "printer.pdf", b)
	png := filepath.Join(t.TempDir(), "printer")
	run(t, "pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", p, png)
	if got := zbar(t, png+".png"); !strings.Contains(got, st.PublicURL+"/tra-cuu?ma="+testDossier().Code) {
		t.Errorf("QR = %q, want the public address's look-up", got)
	}
	if _, err := (Printer{}).PrintForm("no-such-form", testOffice().Agency, st, testDossier(), officer); app.KindOf(err) != app.KindInvalid {
		t.Errorf("unknown form: %v", err)
	}
}
