package forms

import (
	"fmt"
	"time"

	"motcua/app"
	"motcua/forms/pdfkit"
)

// SupplementRequest renders form 02, "Phiếu yêu cầu bổ sung, hoàn thiện hồ
// sơ", for guidance given at the counter: nothing was received.
func SupplementRequest(o Office, g *app.IntakeGuidance) ([]byte, error) {
	if g == nil {
		return nil, app.E("forms.SupplementRequest", app.KindInvalid, app.MsgFormNoGuidance)
	}
	d := &app.Dossier{ProcedureCode: g.ProcedureCode, ProcedureName: g.ProcedureName,
		Applicant: g.Applicant, Summary: g.Summary}
	return supplement(o, supplementData{
		number: g.ID, dossier: d,
		items: g.Items, reason: g.Reason, by: g.By, at: g.At,
	})
}

// SupplementRound renders form 02 for round n (1-based, as SupplementRound.N
// counts) of a dossier being processed.
func SupplementRound(o Office, d *app.Dossier, n int) ([]byte, error) {
	if d == nil {
		return nil, app.E("forms.SupplementRound", app.KindInvalid, app.MsgFormNoDossier)
	}
	var r *app.SupplementRound
	for i := range d.Supplements {
		if d.Supplements[i].N == n {
			r = &d.Supplements[i]
		}
	}
	if r == nil && n >= 1 && n <= len(d.Supplements) {
		r = &d.Supplements[n-1]
	}
	if r == nil {
		return nil, app.E("forms.SupplementRound", app.KindNotFound, app.M(app.MsgFormNoSupplement, d.Code, n))
	}
	return supplement(o, supplementData{
		number: d.Code, dossier: d, round: max(r.N, n),
		items: r.Items, reason: r.Reason, by: r.RequestedBy, at: r.RequestedAt, prevDue: r.PrevDue,
	})
}

type supplementData struct {
	number  string
	dossier *app.Dossier
	round   int
	items   []string
	reason  string
	by      app.UserRef
	at      time.Time
	prevDue time.Time
}

func supplement(o Office, s supplementData) ([]byte, error) {
	x, err := newDoc(o, KindSupplement, false)
	if err != nil {
		return nil, err
	}
	d := s.dossier
	x.forDossier(o, s.number)
	if d.Code == "" {
		// guidance at the counter: no dossier to look up, the QR carries the
		// guidance slip's id
		x.qrText, x.qrCaption = s.number, x.label("qr_caption_id")
	}
	x.beginCopy("")
	x.header(o, fill(x.form.Number, "code", s.number), s.at)
	x.title()
	if d.Code != "" {
		x.field(x.common("dossier_code"), d.Code)
	}
	if s.round > 0 {
		x.field(x.label("round"), fmt.Sprint(s.round))
	}
	x.applicant(x.label("dossier_of"), d)
	x.request(d)
	x.gap(1)
	x.para("", x.label("intro", "unit", unitName(o)))
	t := &pdfkit.Table{
		Widths: []float64{12, 158},
		Aligns: []string{"C", "L"},
		Head:   pdfkit.Grid(2, [][]pdfkit.Span{{{Text: x.label("col_no")}, {Text: x.label("col_item")}}}),
		Size:   x.body - 1,
	}
	rows := make([][]string, 0, len(s.items))
	for i, it := range s.items {
		rows = append(rows, []string{fmt.Sprint(i + 1), it})
	}
	x.drawTable(t, rows, 0)
	x.field(x.label("reason"), s.reason)
	if !s.prevDue.IsZero() {
		x.field(x.label("prev_due"), app.LongDateTime(s.prevDue))
	}
	x.gap(1)
	b := sig{x.label("sign_right"), x.common("sign_note"), s.by.FullName}
	contact := x.label("contact", "officer", orDots(name(s.by.FullName)), "phone", pdfkit.Glue(orDots(o.Agency.Phone)))
	x.keepWithSig(x.richHeight(0, seg{contact, ""}), b)
	x.para("", contact)
	x.signatures(b)
	return x.output()
}
