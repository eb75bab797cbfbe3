// Package pdfkit is the PDF toolkit shared by the printed forms (package
// forms) and the reports (package report): one gofpdf document with the
// project's fonts, text cleaning, line wrapping that never splits a glued
// name, bordered tables whose header repeats on every page, and vector QR
// codes.
//
// pdfkit knows nothing of dossiers or wording: it lays out text it is given.
// It imports Fyne's theme package solely for the Noto Sans font bytes, so
// that the screen and the paper share one sans face; that import must stay
// free of cgo.
package pdfkit

import (
	"bytes"
	"embed"
	"strings"
	"sync"
	"time"
	"unicode"

	"fyne.io/fyne/v2/theme"
	"github.com/jung-kurt/gofpdf"

	"motcua/app"
)

// Face is a type family.
type Face string

const (
	// Sans is Noto Sans, the face of the screens, for forms and reports.
	Sans Face = "noto"
	// Serif is Liberation Serif (SIL OFL 1.1, fonts/OFL.txt), metric-compatible
	// with Times New Roman, for letters under Decree 30/2020/NĐ-CP.
	Serif Face = "serif"
)

// NBSP glues words that must stay on one line (person names, "200.000 đồng").
const NBSP = '\u00a0'

// MMPerPt converts points to millimetres.
const MMPerPt = 25.4 / 72

//go:embed fonts/*.ttf
var serifFS embed.FS

// fontBytes holds the faces, read once. gofpdf writes into the bytes it is
// given (it pads font tables while subsetting), so the cache is private and
// every document parses its own clone: sharing one slice between documents,
// or with Fyne's renderer, is a data race.
var fontBytes = sync.OnceValue(func() map[string][]byte {
	serif := func(name string) []byte {
		b, err := serifFS.ReadFile("fonts/LiberationSerif-" + name + ".ttf")
		if err != nil {
			panic(err) // embedded: cannot happen
		}
		return b
	}
	return map[string][]byte{
		string(Sans) + "/":    bytes.Clone(theme.DefaultTextFont().Content()),
		string(Sans) + "/B":   bytes.Clone(theme.DefaultTextBoldFont().Content()),
		string(Sans) + "/I":   bytes.Clone(theme.DefaultTextItalicFont().Content()),
		string(Sans) + "/BI":  bytes.Clone(theme.DefaultTextBoldItalicFont().Content()),
		string(Serif) + "/":   serif("Regular"),
		string(Serif) + "/B":  serif("Bold"),
		string(Serif) + "/I":  serif("Italic"),
		string(Serif) + "/BI": serif("BoldItalic"),
	}
})

// Options shape a new document. Margins are in millimetres; zero values take
// the defaults (A4, portrait, 20/15/15/18).
type Options struct {
	Paper                    string // "A4" or "A5"
	Landscape                bool
	Left, Right, Top, Bottom float64
	Face                     Face // body face, Sans by default
	Title                    string
}

// Doc is one gofpdf document with the shared layout helpers.
type Doc struct {
	PDF                      *gofpdf.Fpdf
	Left, Right, Top, Bottom float64
	Width                    float64 // between the margins
	Face                     Face

	fonts map[string]bool
	style string
	size  float64
	face  Face
	err   error
}

// New starts a document (no page yet).
func New(o Options) *Doc {
	paper := o.Paper
	if paper != "A5" {
		paper = "A4"
	}
	orient := "P"
	if o.Landscape {
		orient = "L"
	}
	if o.Face == "" {
		o.Face = Sans
	}
	d := &Doc{PDF: gofpdf.New(orient, "mm", paper, ""), Left: o.Left, Right: o.Right, Top: o.Top, Bottom: o.Bottom,
		Face: o.Face, fonts: map[string]bool{}}
	if d.Left == 0 {
		d.Left = 20
	}
	if d.Right == 0 {
		d.Right = 15
	}
	if d.Top == 0 {
		d.Top = 15
	}
	if d.Bottom == 0 {
		d.Bottom = 18
	}
	p := d.PDF
	pw, _ := p.GetPageSize()
	d.Width = pw - d.Left - d.Right
	p.SetMargins(d.Left, d.Top, d.Right)
	p.SetAutoPageBreak(true, d.Bottom)
	p.SetCellMargin(1)
	// Fixed dates keep the output reproducible for a given input.
	p.SetCreationDate(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	p.SetModificationDate(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	p.SetTitle(Clean(o.Title), true)
	p.SetCreator("Một Cửa", true)
	return d
}

// Fail records the first error; Output returns it.
func (d *Doc) Fail(err error) {
	if d.err == nil && err != nil {
		d.err = err
	}
}

// Err is the first error recorded.
func (d *Doc) Err() error { return d.err }

// Output finishes the document.
func (d *Doc) Output() ([]byte, error) {
	if d.err != nil {
		return nil, d.err
	}
	var buf bytes.Buffer
	if err := d.PDF.Output(&buf); err != nil {
		return nil, app.E("pdf", app.KindOther, err)
	}
	return buf.Bytes(), nil
}

// Font selects the body face; style is "", "B", "I", "BI", optionally with
// "U" for underline.
func (d *Doc) Font(style string, size float64) { d.FontFace(d.Face, style, size) }

// FontFace selects a face, adding it to the document on first use.
func (d *Doc) FontFace(f Face, style string, size float64) {
	face := strings.ReplaceAll(style, "U", "")
	if face == "IB" {
		face = "BI"
	}
	key := string(f) + "/" + face
	if !d.fonts[key] {
		d.PDF.AddUTF8FontFromBytes(string(f), face, bytes.Clone(fontBytes()[key]))
		d.fonts[key] = true
	}
	d.PDF.SetFont(string(f), style, size)
	d.face, d.style, d.size = f, style, size
}

// Keep runs draw (a page header or footer) and restores the font after it.
func (d *Doc) Keep(draw func()) {
	f, style, size := d.face, d.style, d.size
	draw()
	if size != 0 {
		d.FontFace(f, style, size)
	}
}

// PageSize is the page's width and height in mm.
func (d *Doc) PageSize() (float64, float64) { return d.PDF.GetPageSize() }

// PageBottom is the lowest y of content.
func (d *Doc) PageBottom() float64 {
	_, ph := d.PDF.GetPageSize()
	return ph - d.Bottom
}

// Ensure moves to a new page when h millimetres do not fit on this one.
func (d *Doc) Ensure(h float64) bool {
	if d.PDF.GetY()+h > d.PageBottom() {
		d.PDF.AddPage()
		return true
	}
	return false
}

// Clean normalises text for drawing: NFC (gofpdf does no shaping, so
// decomposed marks print in the wrong place), tabs to spaces, no control
// characters, and only runes the font's width table can index (gofpdf
// panics beyond the Basic Multilingual Plane). Line breaks and blank lines
// are kept: callers use them for room to sign.
func Clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(app.NFC(line))
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t' || r == '\r':
			return ' '
		case unicode.IsControl(r):
			return -1
		case r > 0xFFFF:
			return '?'
		}
		return r
	}, b.String())
}

// Glue joins the words of s with no-break spaces so that a line never
// breaks inside it (a person's name, an amount and its unit).
func Glue(s string) string {
	return strings.Join(strings.Fields(Clean(s)), string(NBSP))
}

// Split wraps s (cleaned) to width w in the current font. It breaks only at
// ordinary spaces and line breaks, never at a no-break space; a word wider
// than w is cut at its no-break spaces first and only then between letters.
// It always returns at least one line.
func (d *Doc) Split(s string, w float64) []string {
	var out []string
	for _, para := range strings.Split(Clean(s), "\n") {
		out = append(out, d.splitPara(para, w)...)
	}
	return out
}

func (d *Doc) splitPara(para string, w float64) []string {
	words := strings.Split(para, " ")
	var lines []string
	cur := ""
	width := func(s string) float64 { return d.PDF.GetStringWidth(s) }
	avail := w - 2*d.PDF.GetCellMargin()
	flush := func() {
		lines = append(lines, cur)
		cur = ""
	}
	for _, word := range words {
		if word == "" {
			continue
		}
		try := word
		if cur != "" {
			try = cur + " " + word
		}
		if width(try) <= avail {
			cur = try
			continue
		}
		if cur != "" {
			flush()
		}
		if width(word) <= avail {
			cur = word
			continue
		}
		// too wide alone: break at the glue, then between letters
		for _, part := range d.cut(word, avail) {
			if cur != "" {
				flush()
			}
			cur = part
		}
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}

// cut breaks one word wider than avail: at no-break spaces when the parts
// fit, else between letters.
func (d *Doc) cut(word string, avail float64) []string {
	var parts []string
	cur := ""
	for _, piece := range strings.Split(word, string(NBSP)) {
		try := piece
		if cur != "" {
			try = cur + string(NBSP) + piece
		}
		if d.PDF.GetStringWidth(try) <= avail {
			cur = try
			continue
		}
		if cur != "" {
			parts = append(parts, cur)
			cur = ""
		}
		// a letter wider than the column still takes a line of its own
		for len([]rune(piece)) > 1 && d.PDF.GetStringWidth(piece) > avail {
			rs := []rune(piece)
			n := len(rs) - 1
			for n > 1 && d.PDF.GetStringWidth(string(rs[:n])) > avail {
				n--
			}
			parts = append(parts, string(rs[:n]))
			piece = string(rs[n:])
		}
		cur = piece
	}
	if cur != "" {
		parts = append(parts, cur)
	}
	return parts
}

// Fits reports whether every word of s (split at ordinary spaces and line
// breaks) fits in width w at the current font.
func (d *Doc) Fits(s string, w float64) bool {
	avail := w - 2*d.PDF.GetCellMargin()
	for _, line := range strings.Split(Clean(s), "\n") {
		for _, word := range strings.Split(line, " ") {
			if d.PDF.GetStringWidth(word) > avail {
				return false
			}
		}
	}
	return true
}

// Centred writes s wrapped and centred in [x, x+w) from y; returns the new y.
func (d *Doc) Centred(x, y, w float64, s, style string, size, lh float64) float64 {
	d.Font(style, size)
	for _, l := range d.Split(s, w) {
		d.PDF.SetXY(x, y)
		d.PDF.CellFormat(w, lh, l, "", 0, "C", false, 0, "")
		y += lh
	}
	return y
}

// Box draws a bordered cell with s wrapped and centred vertically.
func (d *Doc) Box(x, y, w, h float64, s, style string, size float64, align string) {
	d.PDF.Rect(x, y, w, h, "D")
	d.Font(style, size)
	lh := size * MMPerPt * 1.2
	ls := d.Split(s, w)
	ty := y + (h-float64(len(ls))*lh)/2
	for _, l := range ls {
		d.PDF.SetXY(x, ty)
		d.PDF.CellFormat(w, lh, l, "", 0, align, false, 0, "")
		ty += lh
	}
}
