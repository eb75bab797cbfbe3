package forms

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"motcua/forms/pdfkit"
)

func TestLookupAddress(t *testing.T) {
	for _, c := range []struct {
		public, lookup, agency, want string
	}{
		{"https://dichvucong.ninhbinh.gov.vn/", "", "", "https://dichvucong.ninhbinh.gov.vn/tra-cuu?ma=X-1"},
		{"https://a.vn", "https://b.vn/tra-cuu", "", "https://a.vn/tra-cuu?ma=X-1"},
		{"", "https://b.vn/tra-cuu", "https://c.vn/x", "https://b.vn/tra-cuu?ma=X-1"},
		{"", "", "https://a.vn/tra-cuu?lang=vi", "https://a.vn/tra-cuu?lang=vi&ma=X-1"},
		{"", "", "", ""},
	} {
		if got := LookupAddress(c.public, c.lookup, c.agency, "X-1"); got != c.want {
			t.Errorf("LookupAddress(%q, %q, %q) = %q, want %q", c.public, c.lookup, c.agency, got, c.want)
		}
	}
	if got := (Office{}).qrPayload("X-1"); got != "X-1" {
		t.Errorf("no public address: QR = %q, want the code alone", got)
	}
}

// A typical look-up address is a small code: version ≤ 5, so that its
// 0.65 mm modules make a code of about 24 mm.
func TestQRVersion(t *testing.T) {
	addr := LookupAddress(realPublic, "", "", realCode)
	side, v := pdfkit.QRSide(addr, QRModule)
	if v < 1 || v > 5 {
		t.Errorf("version %d for %q (%d characters), want ≤ 5", v, addr, len(addr))
	}
	if QRModule < 0.6 {
		t.Errorf("module %.2f mm, want ≥ 0.6", QRModule)
	}
	t.Logf("%q: version %d, %.1f mm", addr, v, side)
}

// The QR code printed on page 1 scans back to the look-up address from a
// 100 dpi render, and from the same render blurred and re-thresholded as a
// photocopy would be.
func TestQRDecodes(t *testing.T) {
	need(t, "zbarimg")
	need(t, "pdftoppm")
	o := realOffice(DefaultFormSet)
	want := LookupAddress(realPublic, "", "", realCode)
	for name, render := range map[string]func() ([]byte, error){
		"receipt":    func() ([]byte, error) { return Receipt(o, realDossier(), realOfficer, 2) },
		"control":    func() ([]byte, error) { return ControlSheet(o, realDossier()) },
		"apology":    func() ([]byte, error) { return Apology(o, realDossier(), 0) },
		"supplement": func() ([]byte, error) { return SupplementRound(o, realDossier(), 1) },
		"stop-a5": func() ([]byte, error) {
			a5 := o
			a5.Paper = "A5"
			return StopNotice(a5, realStopped())
		},
	} {
		b, err := render()
		if err != nil {
			t.Fatal(err)
		}
		p := writePDF(t, name+".pdf", b)
		png := filepath.Join(t.TempDir(), name)
		run(t, "pdftoppm", "-r", "100", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile", p, png)
		if got := zbar(t, png+".png"); got != want {
			t.Errorf("%s at 100 dpi: QR = %q, want %q", name, got, want)
		}
		convert := need(t, "convert")
		copyPNG := png + "-copy.png"
		if out, err := exec.Command(convert, png+".png", "-blur", "0x1", "-threshold", "50%", copyPNG).CombinedOutput(); err != nil {
			t.Fatalf("convert: %v\n%s", err, out)
		}
		if got := zbar(t, copyPNG); got != want {
			t.Errorf("%s at 100 dpi, blurred and thresholded: QR = %q, want %q", name, got, want)
		}
	}
}

// zbar is the text of the one code zbarimg finds in png, "" when none.
func zbar(t *testing.T, png string) string {
	out, _ := exec.Command(need(t, "zbarimg"), "-q", "--raw", png).Output()
	return strings.TrimSpace(string(out))
}
