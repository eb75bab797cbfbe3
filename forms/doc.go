// Package forms renders the official printed forms of the one-stop office
// (giấy tiếp nhận, phiếu yêu cầu bổ sung, phiếu từ chối, văn bản xin lỗi,
// thông báo dừng, phiếu kiểm soát, sổ theo dõi, giấy biên nhận trả kết quả)
// as PDF bytes, from the domain types of package app.
//
// The wording of each form set (Circular 03/2025/TT-VPCP by default, the 2018
// set of Circular 01/2018/TT-VPCP on request) is data: one embedded JSON file
// per set under templates/. A new circular is a new file, not new code.
//
// forms must not read or write storage, decide workflow rules or draw screens:
// it receives a dossier that is already computed (due dates, outcomes, fees)
// and only lays it out. The drawing itself (fonts, wrapping, tables, QR codes)
// is the kit in forms/pdfkit, shared with package report.
//
// The letters 03, 04 and 05 follow Decree 30/2020/NĐ-CP: Liberation Serif
// (Times New Roman's metrics), 13 pt, margins 20/30/20/15 mm. Dates come
// from app.LongDate ("ngày 05 tháng 02 năm 2026"). Person names, dates and
// ids are glued with no-break spaces so that no line splits them.
package forms
