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
	x.forDossier(o, d.Code)
	x.beginCopy("")
	x.header(o, fill(x.form.Number, "code", d.Code), at)
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
		x.field(x.label("submitted_at"), app.LongDateTime(submitted))
	}
	x.gap(1)
	x.para("", x.label("reason_intro", "unit", unitName(o)))
	x.rich(6, seg{orDots(d.RefuseReason), "B"})
	x.gap(1)
	submitter := d.Applicant.FullName
	if d.Submitter != nil && d.Submitter.FullName != "" {
		submitter = d.Submitter.FullName
	}
	sigs := []sig{
		{x.label("sign_left"), x.common("sign_note"), submitter},
		{x.label("sign_right"), x.common("sign_note"), by.FullName},
	}
	closing := x.label("closing")
	x.keepWithSig(x.richHeight(0, seg{closing, ""}), sigs...)
	x.para("", closing)
	x.signatures(sigs...)
	return x.output()
}
