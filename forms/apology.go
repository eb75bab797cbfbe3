package forms

import (
	"fmt"

	"motcua/app"
)

// Apology renders form 04 (05 in the 2018 set), "Văn bản xin lỗi và hẹn lại
// ngày trả kết quả", for the delay at index i of d.Delays (0-based).
func Apology(o Office, d *app.Dossier, i int) ([]byte, error) {
	if d == nil {
		return nil, app.E("forms.Apology", app.KindInvalid, app.MsgFormNoDossier)
	}
	if i < 0 || i >= len(d.Delays) {
		return nil, app.E("forms.Apology", app.KindNotFound, app.M(app.MsgFormNoApology, d.Code, i+1))
	}
	dl := d.Delays[i]
	x, err := newDoc(o, KindApology, false)
	if err != nil {
		return nil, err
	}
	n := dl.N
	if n == 0 {
		n = i + 1
	}
	unit := unitName(o)
	x.beginCopy("")
	x.header(o, fill(x.form.Number, "code", d.Code, "n", fmt.Sprint(n)), dl.At, QRText(d.Code, d.ProcedureCode, o.lookup()))
	x.title()
	x.rich(0, seg{x.clean(x.common("dear")) + ": ", "I"}, seg{x.clean(app.NFC(d.Applicant.FullName)), "B"})
	x.gap(2)
	x.para("", x.label("received", "date", capFirst(VNDate(d.ReceivedAt)), "unit", unit, "applicant", app.NFC(d.Applicant.FullName)))
	x.field(x.common("dossier_code"), d.Code)
	x.request(d)
	prev := dl.PrevDue
	if prev.IsZero() {
		prev = d.OriginalDue
	}
	x.field(x.label("due_was"), VNDateTime(prev))
	x.gap(1)
	x.para("", x.label("late", "unit", unit))
	x.rich(6, seg{x.clean(orDots(dl.Reason)), "B"})
	x.gap(1)
	x.para("", x.label("sorry", "unit", unit, "date", VNDateTime(dl.NewDue)))
	x.para("", x.label("closing"))
	signer := dl.SignedBy
	if signer.FullName == "" {
		signer = dl.By
	}
	caption := x.common("head_of_agency")
	if signer.Title != "" {
		caption = signer.Title
	}
	x.recipientsAndSign(sig{caption, x.common("sign_seal_note"), signer.FullName})
	return x.output()
}
