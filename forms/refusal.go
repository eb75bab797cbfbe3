package forms

import (
	"motcua/app"
)

// Refusal renders form 03, "Phiếu từ chối tiếp nhận giải quyết hồ sơ", with
// the reason recorded on the dossier; the refusing officer comes from the
// dossier's history.
func Refusal(o Office, d *app.Dossier) ([]byte, error) {
	if d == nil {
		return nil, app.E("forms.Refusal", app.KindInvalid, app.MsgFormNoDossier)
	}
	return refusal(o, d, app.UserRef{})
}

func refusal(o Office, d *app.Dossier, officer app.UserRef) ([]byte, error) {
	x, err := newDoc(o, KindRefusal, false)
	if err != nil {
		return nil, err
	}
	by, at := actor(d, officer, app.ActRefuse)
	if by.FullName == "" {
		by = d.Handler
	}
	if at.IsZero() {
		at = d.UpdatedAt
	}
	if at.IsZero() {
		at = d.ReceivedAt
	}
	x.beginCopy("")
	x.header(o, "", at, QRText(d.Code, d.ProcedureCode, o.lookup()))
	x.title()
	if d.Code != "" {
		x.field(x.common("dossier_code"), d.Code)
	}
	x.applicant(x.label("intro", "unit", unitName(o)), d)
	x.request(d)
	submitted := d.SubmittedAt
	if submitted.IsZero() {
		submitted = d.ReceivedAt
	}
	if !submitted.IsZero() {
		x.field(x.label("submitted_at"), VNDateTime(submitted))
	}
	x.gap(1)
	x.para("", x.label("reason_intro", "unit", unitName(o)))
	x.rich(6, seg{x.clean(orDots(d.RefuseReason)), "B"})
	x.gap(1)
	x.para("", x.label("closing"))
	submitter := d.Applicant.FullName
	if d.Submitter != nil && d.Submitter.FullName != "" {
		submitter = d.Submitter.FullName
	}
	x.signatures(
		sig{x.label("sign_left"), x.common("sign_note"), submitter},
		sig{x.label("sign_right"), x.common("sign_note"), by.FullName},
	)
	return x.output()
}
