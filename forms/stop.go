package forms

import (
	"motcua/app"
)

// StopNotice renders form 05, "Thông báo dừng giải quyết hồ sơ" (no number
// in the 2018 set), with the reason and legal basis recorded on the dossier,
// as a Decree 30 letter.
func StopNotice(o Office, d *app.Dossier) ([]byte, error) {
	if d == nil {
		return nil, app.E("forms.StopNotice", app.KindInvalid, app.MsgFormNoDossier)
	}
	return stopNotice(o, d, app.UserRef{})
}

func stopNotice(o Office, d *app.Dossier, officer app.UserRef) ([]byte, error) {
	x, err := newDoc(o, KindStop, false)
	if err != nil {
		return nil, err
	}
	by, at := actor(d, officer, app.ActStop)
	if at.IsZero() {
		at = d.FinishedAt
	}
	if at.IsZero() {
		at = d.UpdatedAt
	}
	unit := unitName(o)
	x.forDossier(o, d.Code)
	x.beginCopy("")
	x.header(o, fill(x.form.Number, "code", d.Code), at)
	x.title()
	x.dear(d)
	x.para("", x.label("received", "date", capFirst(app.LongDate(d.ReceivedAt)), "unit", unit, "applicant", name(d.Applicant.FullName)))
	x.field(x.common("dossier_code"), d.Code)
	x.field(x.common("address"), d.Applicant.Address)
	x.request(d)
	if !d.DueAt.IsZero() {
		x.field(x.label("due_was"), app.LongDateTime(d.DueAt))
	}
	x.gap(1)
	x.para("", x.label("reason_intro", "unit", unit))
	x.rich(6, seg{orDots(d.StopReason), "B"})
	legal := d.StopLegal
	if legal == "" {
		legal = d.Legal.Text
	}
	b := sig{x.signerCaption(by.Title), x.common("sign_seal_note"), by.FullName}
	legalSegs := x.fieldSegs(x.label("legal"), legal)
	closing := x.label("closing")
	x.keepWithSig(x.richHeight(0, legalSegs...)+1+x.richHeight(0, seg{closing, ""}), b)
	x.rich(0, legalSegs...)
	x.gap(1)
	x.para("", closing)
	x.recipientsAndSign(b)
	return x.output()
}
