package forms

import (
	"motcua/app"
)

// StopNotice renders form 05, "Thông báo dừng giải quyết hồ sơ" (no number
// in the 2018 set), with the reason and legal basis recorded on the dossier.
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
	x.beginCopy("")
	x.header(o, fill(x.form.Number, "code", d.Code), at, QRText(d.Code, d.ProcedureCode, o.lookup()))
	x.title()
	x.rich(0, seg{x.clean(x.common("dear")) + ": ", "I"}, seg{x.clean(app.NFC(d.Applicant.FullName)), "B"})
	x.gap(2)
	x.para("", x.label("received", "date", capFirst(VNDate(d.ReceivedAt)), "unit", unit, "applicant", app.NFC(d.Applicant.FullName)))
	x.field(x.common("dossier_code"), d.Code)
	x.field(x.common("address"), d.Applicant.Address)
	x.request(d)
	if !d.DueAt.IsZero() {
		x.field(x.label("due_was"), VNDateTime(d.DueAt))
	}
	x.gap(1)
	x.para("", x.label("reason_intro", "unit", unit))
	x.rich(6, seg{x.clean(orDots(d.StopReason)), "B"})
	legal := d.StopLegal
	if legal == "" {
		legal = d.Legal.Text
	}
	x.field(x.label("legal"), legal)
	x.gap(1)
	x.para("", x.label("closing"))
	caption := x.common("head_of_agency")
	if by.Title != "" {
		caption = by.Title
	}
	x.recipientsAndSign(sig{caption, x.common("sign_seal_note"), by.FullName})
	return x.output()
}
