package forms

import (
	"fmt"

	"motcua/app"
)

// Apology renders form 04 (05 in the 2018 set), "Văn bản xin lỗi và đề nghị
// gia hạn thời gian giải quyết" (2018: "Phiếu xin lỗi và hẹn lại ngày trả
// kết quả"), for the delay at index i of d.Delays (0-based), as a Decree 30
// letter.
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
	x.forDossier(o, d.Code)
	x.beginCopy("")
	x.header(o, fill(x.form.Number, "code", d.Code, "n", fmt.Sprint(n)), dl.At)
	x.title()
	x.dear(d)
	x.para("", x.label("received", "date", capFirst(app.LongDate(d.ReceivedAt)), "unit", unit, "applicant", name(d.Applicant.FullName)))
	x.field(x.common("dossier_code"), d.Code)
	x.request(d)
	prev := dl.PrevDue
	if prev.IsZero() {
		prev = d.OriginalDue
	}
	x.field(x.label("due_was"), app.LongDateTime(prev))
	x.gap(1)
	x.para("", x.label("late", "unit", unit))
	x.rich(6, seg{orDots(dl.Reason), "B"})
	x.gap(1)
	signer := dl.SignedBy
	if signer.FullName == "" {
		signer = dl.By
	}
	b := sig{x.signerCaption(signer.Title), x.common("sign_seal_note"), signer.FullName}
	sorry := x.label("sorry", "unit", unit, "date", app.LongDateTime(dl.NewDue))
	closing := x.label("closing")
	x.keepWithSig(x.richHeight(0, seg{sorry, ""})+x.richHeight(0, seg{closing, ""}), b)
	x.para("", sorry)
	x.para("", closing)
	x.recipientsAndSign(b)
	return x.output()
}

// dear is the "Kính gửi: Ông/Bà {name}" line of a letter.
func (x *doc) dear(d *app.Dossier) {
	x.rich(0, seg{x.common("dear") + ": ", "I"}, seg{x.common("dear_person") + " ", "B"}, seg{name(d.Applicant.FullName), "B"})
	x.gap(2)
}
