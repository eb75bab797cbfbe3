package forms

import (
	"fmt"
	"strings"

	"motcua/app"
	"motcua/forms/pdfkit"
)

// --- 01 receipt ------------------------------------------------------------

// Receipt renders form 01, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả". With
// copies = 2 the PDF holds two copies (liên), one kept by the office and one
// for the applicant, each page marked with its copy.
func Receipt(o Office, d *app.Dossier, officer app.UserRef, copies int) ([]byte, error) {
	if d == nil {
		return nil, app.E("forms.Receipt", app.KindInvalid, app.MsgFormNoDossier)
	}
	return receipt(o, d, officer, copies)
}

func receipt(o Office, d *app.Dossier, officer app.UserRef, copies int) ([]byte, error) {
	x, err := newDoc(o, KindReceipt, false)
	if err != nil {
		return nil, err
	}
	if officer.FullName == "" {
		officer, _ = actor(d, d.Handler, app.ActReceive, app.ActAccept)
	}
	copies = min(max(copies, 1), 2)
	x.forDossier(o, d.Code)
	purposes := []string{x.common("copy_keep"), x.common("copy_applicant")}
	for c := 0; c < copies; c++ {
		label := ""
		if copies > 1 {
			label = x.clean(fill(x.common("copy"), "n", fmt.Sprint(c+1), "purpose", purposes[c]))
		}
		x.beginCopy(label)
		x.receiptPage(o, d, officer)
	}
	return x.output()
}

func (x *doc) receiptPage(o Office, d *app.Dossier, officer app.UserRef) {
	number := fill(x.form.Number, "code", d.Code, "book", orDots(d.RegisterBook), "row", orDots(count(d.RegisterRow)))
	x.header(o, number, d.ReceivedAt)
	x.title("!" + x.common("dossier_code") + ": " + d.Code)
	x.field(x.label("unit"), unitName(o))
	x.applicant(x.label("received_from"), d)
	x.request(d)

	x.gap(1)
	x.rich(0, seg{"1. " + x.clean(x.label("documents")), ""})
	t := &pdfkit.Table{
		Widths: []float64{10, 88, 22, 27, 22},
		Aligns: []string{"C", "L", "C", "C", "C"},
		Head: pdfkit.Grid(5, [][]pdfkit.Span{{{Text: x.label("col_no")}, {Text: x.label("col_name")}, {Text: x.label("col_original")},
			{Text: x.label("col_copy")}, {Text: x.label("col_photo")}}}),
		Size: x.body - 1,
	}
	rows := make([][]string, 0, len(d.Documents))
	for i, doc := range d.Documents {
		rows = append(rows, []string{fmt.Sprint(i + 1), doc.Name, count(doc.Originals), count(doc.Copies), count(doc.Photocopies)})
	}
	x.drawTable(t, rows, 0)

	x.numbered(2, x.label("sets"), fmt.Sprintf("%d (%s)", max(d.Sets, 1), x.common("sets_unit")))
	x.numbered(3, x.label("time_rule"), d.TimeRule.Describe())
	x.numbered(4, x.label("received_at"), app.LongDateTime(d.ReceivedAt))
	due := app.LongDateTime(d.DueAt)
	if due == "" {
		due = x.common("no_due")
	}
	x.numbered(5, x.label("due_at"), due)
	submitter := d.Applicant.FullName
	if d.Submitter != nil && d.Submitter.FullName != "" {
		submitter = d.Submitter.FullName
	}
	sigs := []sig{
		{x.label("sign_left"), x.common("sign_note"), submitter},
		{x.label("sign_right"), x.common("sign_note"), officer.FullName},
	}
	place := d.ReturnPlace
	if place == "" {
		place = unitName(o)
	}
	x.numbered(6, x.label("return_place"), place)
	// the fees and the register line stay with the signatures
	fees := x.numberedSegs(7, x.label("fees"), x.feeText(d.Fees))
	register := ""
	if d.RegisterBook != "" || d.RegisterRow > 0 {
		register = x.label("register", "book", orDots(d.RegisterBook), "row", orDots(count(d.RegisterRow)))
	}
	x.keepWithSig(x.richHeight(0, fees...)+x.richHeight(0, seg{register, "I"})+1, sigs...)
	x.rich(0, fees...)
	if register != "" {
		x.gap(1)
		x.para("I", register)
	}
	x.signatures(sigs...)
}

func (x *doc) numbered(n int, label, value string) {
	x.rich(0, x.numberedSegs(n, label, value)...)
}

func (x *doc) numberedSegs(n int, label, value string) []seg {
	return x.fieldSegs(fmt.Sprintf("%d. %s", n, x.clean(label)), value)
}

// feeText is "Lệ phí chứng thực: 200.000 đồng (đã nộp, biên lai số 01234)";
// several lines are joined with "; " and followed by the total.
func (x *doc) feeText(fees []app.Fee) string {
	if len(fees) == 0 {
		return x.common("none")
	}
	var parts []string
	var total int64
	for _, f := range fees {
		s := app.MoneyLong(f.Amount)
		if f.Name != "" {
			s = f.Name + ": " + s
		}
		state := x.label("fee_unpaid")
		if f.Paid {
			state = x.label("fee_paid")
			if f.ReceiptNo != "" {
				state += ", " + x.label("fee_receipt") + " " + f.ReceiptNo
			}
		}
		parts = append(parts, s+" ("+state+")")
		total += f.Amount
	}
	s := strings.Join(parts, "; ")
	if len(fees) > 1 {
		s += "; " + x.label("fee_total") + " " + app.MoneyLong(total)
	}
	return s
}
