package pdfkit

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// vietnamese is every letter of the Vietnamese alphabet with every tone, in
// both cases (NFC).
const vietnamese = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"

func TestClean(t *testing.T) {
	// blank lines are room to sign: they stay; controls and tabs go
	got := Clean("  Người giao\n\n\nLê Thị\tThủy\x07 ")
	if want := "Người giao\n\n\nLê Thị Thủy"; got != want {
		t.Errorf("Clean = %q, want %q", got, want)
	}
	// decomposed marks are composed (NFC)
	if got := Clean("Nguye\u0302\u0303n"); got != "Nguyễn" {
		t.Errorf("Clean(NFD) = %q", got)
	}
	if got := Clean("a\U0001F600b"); got != "a?b" {
		t.Errorf("Clean(astral) = %q", got)
	}
}

// Split breaks at ordinary spaces only: a glued name moves whole to the next
// line, and is cut at its own spaces only when it cannot fit a line.
func TestSplitKeepsGluedNames(t *testing.T) {
	d := New(Options{})
	d.PDF.AddPage()
	d.Font("", 12)
	name := Glue("Lê Thị Thanh Thủy")
	text := "Người hướng dẫn là công chức " + name + ", số điện thoại 0228 3871 234"
	for w := 40.0; w <= 160; w += 3 {
		for _, l := range d.Split(text, w) {
			if strings.Contains(l, "Lê") != strings.Contains(l, "Thủy") {
				t.Fatalf("width %.0f: name split: %q", w, d.Split(text, w))
			}
		}
	}
	// narrower than the name: cut at its glue, never inside a word
	for _, l := range d.Split(name, 20) {
		for _, w := range strings.Split(l, string(NBSP)) {
			if !strings.Contains("Lê Thị Thanh Thủy", w) || w == "" {
				t.Errorf("cut inside a word: %q", d.Split(name, 20))
			}
		}
	}
	if got := d.Split("", 50); len(got) != 1 || got[0] != "" {
		t.Errorf("Split(\"\") = %q", got)
	}
	if got := d.Split("a\n\nb", 50); len(got) != 3 {
		t.Errorf("blank line lost: %q", got)
	}
}

// Every Vietnamese letter prints and reads back in both faces and all four
// styles: nothing falls out of the embedded fonts.
func TestEveryVietnameseGlyph(t *testing.T) {
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("pdftotext not installed")
		}
		t.Fatal(err)
	}
	d := New(Options{})
	d.PDF.AddPage()
	lines := []string{}
	for _, f := range []Face{Sans, Serif} {
		for _, style := range []string{"", "B", "I", "BI"} {
			for _, s := range []string{vietnamese, strings.ToUpper(vietnamese)} {
				d.FontFace(f, style, 11)
				for _, l := range d.Split(s, d.Width) {
					d.PDF.SetX(d.Left)
					d.PDF.CellFormat(d.Width, 6, l, "", 1, "L", false, 0, "")
				}
				lines = append(lines, s)
			}
		}
	}
	b, err := d.Output()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "glyphs.pdf")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), "")
	if got, want := strings.Count(text, vietnamese), 8; got != want {
		t.Errorf("lower case read back %d times, want %d:\n%s", got, want, out)
	}
	if got, want := strings.Count(text, strings.ToUpper(vietnamese)), 8; got != want {
		t.Errorf("upper case read back %d times, want %d:\n%s", got, want, out)
	}
}

func TestGluePlace(t *testing.T) {
	for in, want := range map[string]string{
		"ỦY BAN NHÂN DÂN XÃ NGHĨA HƯNG ĐÔNG":                   "ỦY\u00a0BAN\u00a0NHÂN\u00a0DÂN XÃ\u00a0NGHĨA\u00a0HƯNG\u00a0ĐÔNG",
		"TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ NGHĨA HƯNG ĐÔNG": "TRUNG\u00a0TÂM\u00a0PHỤC\u00a0VỤ\u00a0HÀNH\u00a0CHÍNH\u00a0CÔNG XÃ\u00a0NGHĨA\u00a0HƯNG\u00a0ĐÔNG",
		"UBND THỊ XÃ NGHI SƠN":                                 "UBND THỊ\u00a0XÃ\u00a0NGHI\u00a0SƠN",
		"BỘ PHẬN MỘT CỬA":                                      "BỘ PHẬN MỘT CỬA",
	} {
		if got := GluePlace(in, true); got != want {
			t.Errorf("GluePlace(%q) = %q, want %q", in, got, want)
		}
	}
}
