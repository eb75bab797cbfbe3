// Package report exports what officials send upward or keep on file: the
// periodic statistics report (domain.md §7) as a PDF (A4 landscape, drawn
// with the kit the printed forms use, forms/pdfkit: Noto Sans, so the paper
// and the screen share one font) and as an
// Excel workbook in the layout offices exchange (title rows, merged header
// groups, one row per field or procedure, totals), and the register of
// dossiers (Sổ theo dõi hồ sơ, form 07) as an Excel workbook (its PDF is
// forms.Register). Dates and numbers go through app's Vietnamese formatting.
//
// It only lays out figures the domain computed (app.Report, app.Dossier): it
// never counts, classifies or reads the database itself.
package report
