package forms

import (
	"fmt"
	"strings"

	"motcua/app"
	"motcua/forms/pdfkit"
)

// ControlSheet renders form 06 (04 in the 2018 set), "Phiếu kiểm soát quá
// trình giải quyết hồ sơ": one table row per hand-over leg.
func ControlSheet(o Office, d *app.Dossier) ([]byte, error) {
	if d == nil {
		return nil, app.E("forms.ControlSheet", app.KindInvalid, app.MsgFormNoDossier)
	}
	x, err := newDoc(o, KindControl, false)
	if err != nil {
		return nil, err
	}
	x.forDossier(o, d.Code)
	x.beginCopy("")
	x.header(o, "", d.ReceivedAt)
	x.title(x.label("attached", "code", d.Code))
	x.field(x.common("dossier_code"), d.Code)
	x.field(x.common("applicant"), name(d.Applicant.FullName))
	x.field(x.common("address"), d.Applicant.Address)
	x.request(d)
	x.field(x.label("received_at"), app.LongDateTime(d.ReceivedAt))
	due := app.LongDateTime(d.DueAt)
	if due == "" {
		due = x.common("no_due")
	}
	x.field(x.label("due_at"), due)
	handler := d.Unit
	if handler == "" {
		handler = unitName(o)
	}
	x.field(x.label("handler"), handler)
	var partners []string
	for _, t := range d.Transfers {
		name := joinNonEmpty(" ", t.ToName, "("+t.ToAgency+")")
		if t.ToName == "" {
			name = t.ToAgency
		}
		if name != "" && !contains(partners, name) {
			partners = append(partners, name)
		}
	}
	x.field(x.label("partners"), orNone(strings.Join(partners, "; "), x.common("none")))
	x.gap(1)

	// Người giao / Người nhận are signature cells: at least 20 mm high, the
	// name at the bottom under the room to sign. Names and dates shrink
	// rather than break.
	t := &pdfkit.Table{
		Widths: []float64{28, 17, 38, 38, 25, 29},
		Aligns: []string{"L", "C", "C", "C", "C", "L"},
		Head: pdfkit.Grid(6, [][]pdfkit.Span{
			{{Text: x.label("col_agency"), Rows: 2}, {Text: x.label("col_time"), Cols: 3},
				{Text: x.label("col_result"), Rows: 2}, {Text: x.label("col_note"), Rows: 2}},
			{{Text: x.label("col_at")}, {Text: x.label("col_giver")}, {Text: x.label("col_taker")}},
		}),
		Size:     9.5,
		HeadSize: 9,
		MinRowH:  20,
		NoBreak:  []bool{false, true, true, true, true, true},
		Bottom:   []bool{false, false, true, true, false, false},
	}
	rows := make([][]string, 0, len(d.Legs))
	for _, l := range d.Legs {
		agency := fmt.Sprintf("1. %s: %s\n2. %s: %s", x.label("give"), orDots(l.FromUnit), x.label("take"), orDots(l.ToUnit))
		result := l.Outcome.Label()
		if !l.Deadline.IsZero() {
			result = joinNonEmpty("\n", result, pdfkit.Glue(x.label("deadline")+": "+app.ShortDate(l.Deadline))+"\n"+app.HourMinute(l.Deadline))
		}
		if !l.FinishedAt.IsZero() {
			result = joinNonEmpty("\n", result, pdfkit.Glue(x.label("finished")+": "+app.ShortDate(l.FinishedAt))+"\n"+app.HourMinute(l.FinishedAt))
		}
		note := l.Note
		if l.TransferID != "" {
			// A leg through the central API names the agency it went to;
			// the transfer's internal id means nothing on paper.
			note = joinNonEmpty("\n", x.label("transfer_note", "agency", transferAgency(d, l)), note)
		}
		rows = append(rows, []string{agency, cellDateTime(l.At), name(l.FromUser.FullName), name(l.ToUser.FullName), result, note})
	}
	x.drawTable(t, rows, 0)
	if len(d.Legs) == 0 {
		x.para("I", x.label("no_legs"))
	}
	return x.output()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func orNone(s, none string) string {
	if strings.TrimSpace(s) == "" {
		return none
	}
	return s
}

// transferAgency names the agency a transfer leg went to: its name from the
// dossier's transfer (or the leg's receiving unit), never the transfer id.
func transferAgency(d *app.Dossier, l app.HandoverLeg) string {
	for _, t := range d.Transfers {
		if t.ID == l.TransferID {
			if t.ToName != "" {
				return t.ToName
			}
			return t.ToAgency
		}
	}
	return l.ToUnit
}
