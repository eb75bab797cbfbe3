package pdfkit

import (
	qrcode "github.com/skip2/go-qrcode"

	"motcua/app"
)

// encode makes the QR code of text: error correction M, or L when M would
// need a version above 5, so a typical address stays a small code with
// large modules. The code has no quiet zone of its own.
func encode(text string) (*qrcode.QRCode, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	if q.VersionNumber > 5 {
		if low, err := qrcode.New(text, qrcode.Low); err == nil {
			q = low
		}
	}
	q.DisableBorder = true
	return q, nil
}

// QR draws text as a QR code with its top-left corner at (x, y), module mm
// per module, as vector squares (crisp at any zoom, no image decoding). The
// caller keeps 4 modules around it free. It returns the side of the code in
// mm and its version (0 when text cannot be encoded).
func (d *Doc) QR(text string, x, y, module float64) (side float64, version int) {
	q, err := encode(text)
	if err != nil {
		d.Fail(app.E("pdf.QR", app.KindOther, err))
		return 0, 0
	}
	bm := q.Bitmap()
	d.PDF.SetFillColor(0, 0, 0)
	for r, row := range bm {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			// a hair of overlap hides anti-aliasing seams between squares
			d.PDF.Rect(x+float64(start)*module, y+float64(r)*module, float64(c-start)*module+0.02, module+0.02, "F")
		}
	}
	return float64(len(bm)) * module, q.VersionNumber
}

// QRSide is the side in mm and the version of the code QR would draw.
func QRSide(text string, module float64) (side float64, version int) {
	q, err := encode(text)
	if err != nil {
		return 0, 0
	}
	return float64(len(q.Bitmap())) * module, q.VersionNumber
}
