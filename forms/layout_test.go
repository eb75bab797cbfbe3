package forms

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"motcua/forms/pdfkit"
)

// renderAll renders every realistic form in both wording sets, on A4 and on
// A5, and returns the PDF paths by name.
func renderAll(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, set := range FormSets() {
		for _, paper := range []string{"A4", "A5"} {
			o := realOffice(set)
			o.Paper = paper
			for name, render := range realForms(o) {
				b, err := render()
				if err != nil {
					t.Fatalf("%s %s %s: %v", set, paper, name, err)
				}
				key := fmt.Sprintf("%s/%s/%s", set, paper, name)
				out[key] = writePDF(t, strings.ReplaceAll(key, "/", "_")+".pdf", b)
			}
		}
	}
	return out
}

// pages is the layout text of each page of a PDF, no-break spaces as spaces.
func pages(t *testing.T, path string) []string {
	t.Helper()
	n := pdfPages(t, path)
	out := make([]string, n)
	for i := range out {
		out[i] = strings.ReplaceAll(pdfText(t, path, i+1, i+1), "\u00a0", " ")
	}
	return out
}

var (
	unpaddedMonth = regexp.MustCompile(`tháng [12] năm`)
	unpaddedDay   = regexp.MustCompile(`[Nn]gày [1-9] tháng`)
	dateBreak     = regexp.MustCompile(`(ngày|tháng \d{1,2}|tháng \d{1,2} năm|\d giờ)$`)
)

// Every printed date follows Decree 30/2020: "ngày 03 tháng 02 năm 2026".
func TestDecree30Dates(t *testing.T) {
	o := realOffice(DefaultFormSet)
	for name, render := range realForms(o) {
		b, err := render()
		if err != nil {
			t.Fatal(err)
		}
		text := flat(pdfText(t, writePDF(t, name+".pdf", b)))
		if m := unpaddedMonth.FindString(text); m != "" {
			t.Errorf("%s: unpadded month %q", name, m)
		}
		if m := unpaddedDay.FindString(text); m != "" {
			t.Errorf("%s: unpadded day %q", name, m)
		}
		if !strings.Contains(text, "tháng 02 năm 2026") {
			t.Errorf("%s: no February date in Decree 30 form", name)
		}
	}
}

// sigLine is a line that belongs to a signature block, the page furniture
// (copy label, continuation line, footer, QR caption) or the "Nơi nhận"
// block: a page made only of such lines holds a signature alone.
func furniture(line string, names []string) bool {
	l := strings.TrimSpace(line)
	if l == "" || strings.HasPrefix(l, "Mẫu số") || strings.Contains(l, "Trang ") || strings.HasPrefix(l, "Liên ") ||
		strings.Contains(l, "Quét để tra cứu") || strings.Contains(l, "Mã hồ sơ:") || strings.HasPrefix(l, "(Ký") ||
		strings.HasPrefix(l, "Nơi nhận") || strings.HasPrefix(l, "- ") || strings.HasPrefix(l, "KT. ") {
		return true
	}
	if strings.ToUpper(l) == l { // captions in capitals
		return true
	}
	for _, n := range names {
		l = strings.ReplaceAll(l, n, "")
	}
	return strings.TrimSpace(l) == ""
}

var signers = []string{realApplicant, "Nguyễn Trần Hoàng Bảo Ngọc", realOfficer.FullName, realSpecialist.FullName, realLeader.FullName}

// No page holds only a signature block, in either set, on A4 or A5.
func TestNoLoneSignature(t *testing.T) {
	for key, p := range renderAll(t) {
		for i, pg := range pages(t, p) {
			if !strings.Contains(pg, "(Ký") {
				continue
			}
			content := 0
			for _, l := range strings.Split(pg, "\n") {
				if !furniture(l, signers) {
					content++
				}
			}
			if content == 0 {
				t.Errorf("%s page %d holds only a signature block:\n%s", key, i+1, pg)
			}
		}
	}
}

// Person names, dates and transfer ids never break across lines: every line
// that shows a name's last word shows the whole name.
func TestNamesNotSplit(t *testing.T) {
	whole := append([]string{"tr_k3j5h2g7f6d5s4a3q2w1e0r9t8"}, signers...)
	for key, p := range renderAll(t) {
		for i, pg := range pages(t, p) {
			for _, l := range strings.Split(pg, "\n") {
				for _, n := range whole {
					words := strings.Fields(n)
					last := words[len(words)-1]
					if strings.Contains(n, "_") {
						last = n[len(n)-6:]
					}
					if strings.Contains(l, last) && !strings.Contains(l, n) && !strings.Contains(l, "Bảo Châu") {
						t.Errorf("%s page %d: %q split on line %q", key, i+1, n, strings.TrimSpace(l))
					}
				}
				if dateBreak.MatchString(strings.TrimSpace(l)) {
					t.Errorf("%s page %d: a date or time breaks: %q", key, i+1, strings.TrimSpace(l))
				}
			}
		}
	}
}

// Every page after the first of a copy repeats the dossier code and the
// form's short title; every table page repeats its header.
func TestContinuationPages(t *testing.T) {
	for key, p := range renderAll(t) {
		ps := pages(t, p)
		for i := 1; i < len(ps); i++ {
			pg := flat(ps[i])
			if strings.HasPrefix(pg, "ỦY BAN") { // a new copy starts on this page
				continue
			}
			switch {
			case strings.Contains(key, "register"):
				if !strings.Contains(pg, "Sổ theo dõi hồ sơ - Từ ngày 01 tháng 02 năm 2026") || !strings.Contains(pg, "Ký nhận") {
					t.Errorf("%s page %d: no continuation line or table header:\n%s", key, i+1, ps[i])
				}
			case strings.Contains(key, "guidance"):
				if !strings.Contains(pg, realGuidance().ID) {
					t.Errorf("%s page %d: no guidance id", key, i+1)
				}
			default:
				if !strings.Contains(pg, realCode) {
					t.Errorf("%s page %d: no dossier code:\n%s", key, i+1, ps[i])
				}
			}
		}
	}
}

// The register (A4 landscape) holds at least ten typical rows a page.
func TestRegisterRowsPerPage(t *testing.T) {
	b, err := Register(realOffice(DefaultFormSet), feb(1, 0, 0), feb(28, 0, 0), realRegister(), "01")
	if err != nil {
		t.Fatal(err)
	}
	ps := pages(t, writePDF(t, "register.pdf", b))
	total := 0
	for i, pg := range ps {
		n := strings.Count(pg, "000.00.21.H40-2602")
		total += n
		if i < len(ps)-1 && n < 10 {
			t.Errorf("page %d holds %d rows, want ≥ 10", i+1, n)
		}
	}
	if total != 30 {
		t.Errorf("%d rows printed, want 30", total)
	}
}

var thuyRe = regexp.MustCompile(`<word xMin="[0-9.]+" yMin="([0-9.]+)"[^>]*>Thủy</word>`)

var giaoRe = regexp.MustCompile(`<word xMin="[0-9.]+" yMin="([0-9.]+)"[^>]*>Giao:</word>`)

// The control sheet leaves room to sign: every hand-over row is at least
// 15 mm high (measured between the tops of consecutive rows on a page).
func TestControlSheetRoomToSign(t *testing.T) {
	b, err := ControlSheet(realOffice(DefaultFormSet), realDossier())
	if err != nil {
		t.Fatal(err)
	}
	p := writePDF(t, "control.pdf", b)
	const minH = 15 * 72 / 25.4 // points
	rows := 0
	for pg := 1; pg <= pdfPages(t, p); pg++ {
		html := run(t, "pdftotext", "-bbox", "-f", fmt.Sprint(pg), "-l", fmt.Sprint(pg), p, "-")
		var ys []float64
		for _, m := range giaoRe.FindAllStringSubmatch(html, -1) {
			var y float64
			fmt.Sscan(m[1], &y)
			ys = append(ys, y)
		}
		rows += len(ys)
		if pg == 1 && len(ys) > 0 {
			// the giver of the first row (Lê Thị Thanh Thủy) signs above her
			// name: the name sits at least 12 mm under the top of the row
			m := thuyRe.FindStringSubmatch(html)
			var y float64
			if m != nil {
				fmt.Sscan(m[1], &y)
			}
			if room := (y - ys[0]) * 25.4 / 72; room < 12 {
				t.Errorf("name %.1f mm under the top of its row, want ≥ 12", room)
			}
		}
		for i := 1; i < len(ys); i++ {
			if h := ys[i] - ys[i-1]; h < minH {
				t.Errorf("page %d: row %d is %.1f mm high, want ≥ 15", pg, i, h*25.4/72)
			}
		}
	}
	if rows != len(realDossier().Legs) {
		t.Errorf("%d rows found, want %d", rows, len(realDossier().Legs))
	}
}

// The receipt prints its copy label once a page and a "Số:" line; the result
// receipt lists the papers handed back, never a scan's file name.
func TestReceiptAndResultWording(t *testing.T) {
	o := realOffice(DefaultFormSet)
	b, err := Receipt(o, realDossier(), realOfficer, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, pg := range pages(t, writePDF(t, "receipt.pdf", b)) {
		if n := strings.Count(pg, "Liên 1: Lưu tại cơ quan") + strings.Count(pg, "Liên 2: Giao người nộp hồ sơ"); n != 1 {
			t.Errorf("page %d carries %d copy labels, want 1", i+1, n)
		}
		if i == 0 && !strings.Contains(pg, "Số: "+realCode) {
			t.Errorf("page 1 has no number line:\n%s", pg)
		}
	}
	b, err = ResultReceipt(o, realReturned())
	if err != nil {
		t.Fatal(err)
	}
	// cells wrap: read them in drawing order
	text := flat(strings.ReplaceAll(pdfRaw(t, writePDF(t, "result.pdf", b)), "\u00a0", " "))
	if strings.Contains(text, ".pdf") {
		t.Errorf("a file name is printed:\n%s", text)
	}
	mustContain(t, text, "Trích lục khai sinh (bản sao)", "02 bản sao", "Giấy chứng nhận quốc tịch Việt Nam", "01 bản chính")
}

// The letters 03, 04 and 05 are set in Liberation Serif (Times New Roman's
// metrics, Decree 30), and the register; the other forms in Noto Sans. Every
// face is embedded.
func TestLetterFaces(t *testing.T) {
	o := realOffice(DefaultFormSet)
	for name, render := range realForms(o) {
		b, err := render()
		if err != nil {
			t.Fatal(err)
		}
		fonts := run(t, "pdffonts", writePDF(t, name+".pdf", b))
		serif := strings.Contains(fonts, "utf8"+string(pdfkit.Serif)) // gofpdf names a face by its family
		// the register too: its serif fits a long name in a narrow column
		letter := strings.HasPrefix(name, "03") || strings.HasPrefix(name, "04") || strings.HasPrefix(name, "05") ||
			strings.HasPrefix(name, "07")
		if letter != serif {
			t.Errorf("%s: serif %v, want %v:\n%s", name, serif, letter, fonts)
		}
		for _, l := range strings.Split(fonts, "\n")[2:] {
			if f := strings.Fields(l); len(f) > 4 && f[len(f)-5] != "yes" { // emb column
				t.Errorf("%s: font not embedded: %s", name, l)
			}
		}
	}
}

var wordBox = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">`)

// A Decree 30 letter keeps its margins: text from 30 mm on the left to
// 15 mm from the right, between 20 mm from the top and 20 mm from the bottom.
func TestLetterMargins(t *testing.T) {
	b, err := Apology(realOffice(DefaultFormSet), realDossier(), 0)
	if err != nil {
		t.Fatal(err)
	}
	html := run(t, "pdftotext", "-bbox", "-f", "1", "-l", "1", writePDF(t, "apology.pdf", b), "-")
	const pt = 72 / 25.4
	minX, maxX, minY, maxY := 1e9, 0.0, 1e9, 0.0
	for _, m := range wordBox.FindAllStringSubmatch(html, -1) {
		var x0, y0, x1, y1 float64
		fmt.Sscan(m[1], &x0)
		fmt.Sscan(m[2], &y0)
		fmt.Sscan(m[3], &x1)
		fmt.Sscan(m[4], &y1)
		if y0 < 10*pt { // the copy label / continuation line lives in the top margin
			continue
		}
		minX, maxX, minY, maxY = min(minX, x0), max(maxX, x1), min(minY, y0), max(maxY, y1)
	}
	if minX < 29.5*pt || minX > 32*pt {
		t.Errorf("left margin %.1f mm, want 30", minX/pt)
	}
	if maxX > (210-15)*pt {
		t.Errorf("text reaches %.1f mm from the right, want ≥ 15", 210-maxX/pt)
	}
	if minY < 19.5*pt {
		t.Errorf("text starts %.1f mm from the top, want ≥ 20", minY/pt)
	}
	if maxY > (297-10)*pt { // the footer line sits in the bottom margin, 5 mm under the text
		t.Errorf("text ends %.1f mm from the bottom", 297-maxY/pt)
	}
}
