package forms

import (
	"fmt"
	"time"

	"motcua/app"
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
		number: g.ID, qr: qrText("MaPhieu", g.ID, g.ProcedureCode, ""), dossier: d,
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
		number: d.Code, qr: QRText(d.Code, d.ProcedureCode, o.lookup()), dossier: d, round: max(r.N, n),
		items: r.Items, reason: r.Reason, by: r.RequestedBy, at: r.RequestedAt, prevDue: r.PrevDue,
	})
}

type supplementData struct {
	number, qr string
	dossier    *app.Dossier
	round      int
	items      []string
	reason     string
	by         app.UserRef
	at         time.Time
	prevDue    time.Time
}

func supplement(o Office, s supplementData) ([]byte, error) {
	x, err := newDoc(o, KindSupplement, false)
	if err != nil {
		return nil, err
	}
	x.beginCopy("")
	x.header(o, fill(x.form.Number, "code", s.number), s.at, s.qr)
	x.title()
	d := s.dossier
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
	t := &table{
		widths: []float64{12, 158},
		aligns: []string{"C", "L"},
		head:   [][]hcell{{{text: x.label("col_no")}, {text: x.label("col_item")}}},
		size:   11,
	}
	rows := make([][]string, 0, len(s.items))
	for i, it := range s.items {
		rows = append(rows, []string{fmt.Sprint(i + 1), it})
	}
	x.drawTable(t, rows)
	x.field(x.label("reason"), s.reason)
	if !s.prevDue.IsZero() {
		x.field(x.label("prev_due"), VNDateTime(s.prevDue))
	}
	x.gap(1)
	x.para("", x.label("contact", "officer", orDots(app.NFC(s.by.FullName)), "phone", orDots(app.NFC(o.Agency.Phone))))
	x.signatures(sig{x.label("sign_right"), x.common("sign_note"), s.by.FullName})
	return x.output()
}
