package forms

import (
	"fmt"
	"time"

	"motcua/app"
)

// Register renders form 07 (06 in the 2018 set), "Sổ theo dõi hồ sơ", on A4
// landscape: one row per dossier in the given order, the header row repeated
// on every page. from and to only label the period; the caller selects rows.
func Register(o Office, from, to time.Time, rows []app.Dossier, book string) ([]byte, error) {
	x, err := newDoc(o, KindRegister, true)
	if err != nil {
		return nil, err
	}
	x.footerNote = x.clean(o.Digest) // footer hook: the office's daily digest
	x.beginCopy("")
	x.header(o, "", to, "")
	sub := []string{}
	if book != "" {
		sub = append(sub, "!"+x.label("book")+": "+book)
	}
	sub = append(sub, x.label("period", "from", VNDate(from), "to", VNDate(to)))
	x.title(sub...)

	t := &table{
		widths: []float64{8, 36, 25, 11, 22, 25, 18, 17.5, 17.5, 21, 17.5, 17.5, 11, 19},
		aligns: []string{"C", "L", "L", "C", "L", "L", "L", "C", "C", "L", "C", "C", "C", "L"},
		head: [][]hcell{
			{{text: x.label("col_no"), rows: 2}, {text: x.label("col_code"), rows: 2}, {text: x.label("col_procedure"), rows: 2},
				{text: x.label("col_sets"), rows: 2}, {text: x.label("col_applicant"), rows: 2}, {text: x.label("col_address"), rows: 2},
				{text: x.label("col_agency"), rows: 2}, {text: x.label("col_received"), rows: 2}, {text: x.label("col_due"), rows: 2},
				{text: x.label("col_transfer"), rows: 2}, {text: x.label("col_result"), rows: 2}, {text: x.label("col_return"), span: 2},
				{text: x.label("col_note"), rows: 2}},
			{{text: x.label("col_return_date")}, {text: x.label("col_return_sign")}},
		},
		size:  7.5,
		hsize: 7.5,
	}
	cells := make([][]string, 0, len(rows))
	for i := range rows {
		d := &rows[i]
		no := d.RegisterRow
		if no == 0 {
			no = i + 1
		}
		agency := unitName(o)
		transfer := ""
		if n := len(d.Transfers); n > 0 {
			tr := d.Transfers[n-1]
			agency = orNone(tr.ToName, tr.ToAgency)
			transfer = joinNonEmpty("\n", agency, cellDateTime(tr.CreatedAt))
		} else if len(d.Legs) > 0 {
			l := d.Legs[0]
			transfer = joinNonEmpty("\n", l.ToUnit, cellDateTime(l.At))
		}
		result := ""
		if d.Result != nil && !d.Result.RecordedAt.IsZero() {
			result = cellDateTime(d.Result.RecordedAt)
		} else if d.State.Finished() {
			result = cellDateTime(d.FinishedAt)
		}
		note := d.State.Label()
		if len(d.Delays) > 0 {
			note = joinNonEmpty("; ", note, x.label("rescheduled", "date", shortDate(d.Delays[len(d.Delays)-1].NewDue)))
		}
		cells = append(cells, []string{
			fmt.Sprint(no), d.Code, joinNonEmpty(" - ", d.ProcedureCode, d.ProcedureName), fmt.Sprint(max(d.Sets, 1)),
			d.Applicant.FullName, joinNonEmpty("\n", d.Applicant.Address, d.Applicant.Phone), agency,
			cellDateTime(d.ReceivedAt), cellDateTime(d.DueAt), transfer, result, cellDateTime(d.ReturnedAt), "", note,
		})
	}
	x.drawTable(t, cells)
	if len(rows) == 0 {
		x.para("I", x.label("empty"))
	} else {
		x.para("B", x.label("total", "n", fmt.Sprint(len(rows))))
	}
	return x.output()
}

// cellDateTime puts the date over the time so that a narrow column never
// breaks inside the date.
func cellDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(app.Vietnam)
	return t.Format("02/01/2006") + "\n" + t.Format("15:04")
}
