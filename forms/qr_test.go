package forms

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestQRText(t *testing.T) {
	got := QRText(testCode, "2.000815", testLookup)
	want := "MaHoSo:" + testCode + "|MaTTHC:2.000815|TraCuu:" + testLookup + "?ma=" + testCode
	if got != want {
		t.Errorf("QRText = %q, want %q", got, want)
	}
	if got := QRText("X-1", "1.001193", "https://a.vn/tra-cuu?lang=vi"); got != "MaHoSo:X-1|MaTTHC:1.001193|TraCuu:https://a.vn/tra-cuu?lang=vi&ma=X-1" {
		t.Errorf("with query: %q", got)
	}
	if got := QRText("X-1", "1.001193", ""); got != "MaHoSo:X-1|MaTTHC:1.001193" {
		t.Errorf("no lookup: %q", got)
	}
}

// The QR code printed on page 1 scans back to the dossier code, procedure
// code and lookup address.
func TestQRDecodes(t *testing.T) {
	need(t, "zbarimg")
	o := testOffice()
	for name, render := range map[string]func() ([]byte, error){
		"receipt": func() ([]byte, error) { return Receipt(o, testDossier(), officer, 2) },
		"control": func() ([]byte, error) { return ControlSheet(o, testDossier()) },
		"refusal": func() ([]byte, error) { return Refusal(o, refusedDossier()) },
	} {
		b, err := render()
		if err != nil {
			t.Fatal(err)
		}
		p := writePDF(t, name+".pdf", b)
		png := filepath.Join(t.TempDir(), name)
		run(t, "pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", "-singlefile", p, png)
		got := strings.TrimSpace(run(t, "zbarimg", "-q", "--raw", png+".png"))
		code := testCode
		if name == "refusal" {
			code = refusedDossier().Code
		}
		if want := QRText(code, "2.000815", testLookup); got != want {
			t.Errorf("%s: QR = %q, want %q", name, got, want)
		}
	}
}

// TestQRDecodesAt100DPI: the receipt's QR, pointing at the hub's look-up
// page (/tra-cuu?ma=…), still decodes from a 100 dpi scan (a photocopy).
func TestQRDecodesAt100DPI(t *testing.T) {
	need(t, "zbarimg")
	o := testOffice()
	o.LookupURL = "https://lienthong.thanhhoa.gov.vn/tra-cuu"
	b, err := Receipt(o, testDossier(), officer, 1)
	if err != nil {
		t.Fatal(err)
	}
	p := writePDF(t, "receipt-100dpi.pdf", b)
	png := filepath.Join(t.TempDir(), "receipt")
	run(t, "pdftoppm", "-r", "100", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile", p, png)
	got := strings.TrimSpace(run(t, "zbarimg", "-q", "--raw", png+".png"))
	if want := QRText(testCode, "2.000815", o.LookupURL); got != want || !strings.HasSuffix(got, "/tra-cuu?ma="+testCode) {
		t.Errorf("QR at 100 dpi = %q, want %q", got, want)
	}
}
