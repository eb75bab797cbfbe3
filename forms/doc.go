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
// and only lays it out. It imports Fyne's theme package solely for the Noto
// Sans font bytes, so that the screen and the paper use one font; that import
// must stay free of cgo.
package forms
