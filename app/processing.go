package app

import (
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"
)

// The record of processing (nhật ký xử lý dữ liệu cá nhân): who opened,
// printed or exported a citizen's personal data, and when (Luật Bảo vệ dữ
// liệu cá nhân 2025, Nghị định 13/2023). The entries go into the
// administration log, in its hash chain, so the integrity check covers them.

// Actions of the record of processing (besides backup.export and
// backup.restore, written by the backup use cases).
const (
	ActionView           = "dossier.view"    // the detail screen showed a dossier's personal details
	ActionPrint          = "dossier.print"   // a form with personal data was rendered to print or save
	ActionExportRegister = "export.register" // the register (sổ theo dõi) was exported to Excel
	ActionExportAudit    = "export.audit"    // this log itself was exported
)

// viewAgain is how long a second look at the same dossier by the same
// person counts as the same view (a refresh after an action is no new one).
const viewAgain = 10 * time.Minute

// RecordView records that u opened the personal details of dossier code.
func (s *Service) RecordView(u *User, code string) error {
	const op = "RecordView"
	if u == nil {
		return deny(op, op)
	}
	return s.store.Update(func(tx Tx) error {
		last, err := tx.Audit(-1, 1)
		if err != nil {
			return err
		}
		if len(last) == 1 {
			l := last[0]
			if l.Action == ActionView && l.Target == code && l.User.Username == u.Username && s.Now().Sub(l.At) < viewAgain {
				return nil
			}
		}
		if _, err := tx.Dossier(code); err != nil {
			return err
		}
		return s.audit(tx, u.Ref(), ActionView, code, "")
	})
}

// RecordPrint records that u printed (or saved as PDF) the form named form;
// code is its dossier, "" for a form of no single dossier.
func (s *Service) RecordPrint(u *User, code, form string) error {
	if u == nil {
		return deny("RecordPrint", MsgRecordPrint)
	}
	return s.store.Update(func(tx Tx) error { return s.audit(tx, u.Ref(), ActionPrint, code, form) })
}

// RecordExport records an export: action is one of the export actions, file
// the name of the file written, note what it holds (period, rows).
func (s *Service) RecordExport(u *User, action, file, note string) error {
	if u == nil {
		return deny("RecordExport", MsgRecordExport)
	}
	return s.store.Update(func(tx Tx) error { return s.audit(tx, u.Ref(), action, file, note) })
}

// AuditFilter selects entries of the administration log; zero fields select
// everything.
type AuditFilter struct {
	User     string    // username
	Target   string    // a dossier code or any part of the target
	Action   string    // an action, or its prefix ending in "." ("dossier.", "backup.")
	From, To time.Time // From ≤ At < To
}

func (f AuditFilter) match(e AuditEntry) bool {
	switch {
	case f.User != "" && !strings.EqualFold(e.User.Username, f.User):
		return false
	case f.Target != "" && !strings.Contains(strings.ToLower(e.Target), strings.ToLower(f.Target)):
		return false
	case f.Action != "" && e.Action != f.Action && !(strings.HasSuffix(f.Action, ".") && strings.HasPrefix(e.Action, f.Action)):
		return false
	case !f.From.IsZero() && e.At.Before(f.From):
		return false
	case !f.To.IsZero() && !e.At.Before(f.To):
		return false
	}
	return true
}

// AuditLogLimit is the most entries AuditLog returns (the newest).
const AuditLogLimit = 5000

// AuditLog lists the administration log entries that match f, newest first,
// at most AuditLogLimit (administrator). truncated says more matched.
func (s *Service) AuditLog(u *User, f AuditFilter) (entries []AuditEntry, truncated bool, err error) {
	const op = "AuditLog"
	f.User, f.Target = strings.TrimSpace(strings.ToLower(f.User)), NFC(strings.TrimSpace(f.Target))
	err = s.store.View(func(tx Tx) error {
		if _, err := authorize(op, tx, u, RoleAdmin); err != nil {
			return err
		}
		after := 0
		for {
			page, err := tx.Audit(after, 1000)
			if err != nil {
				return err
			}
			for _, e := range page {
				if f.match(e) {
					entries = append(entries, e)
				}
			}
			if len(page) < 1000 {
				return nil
			}
			after = page[len(page)-1].Seq
		}
	})
	if err != nil {
		return nil, false, err
	}
	for i, j := 0, len(entries)-1; i < j; i, j = i+1, j-1 {
		entries[i], entries[j] = entries[j], entries[i]
	}
	if len(entries) > AuditLogLimit {
		entries, truncated = entries[:AuditLogLimit], true
	}
	return entries, truncated, nil
}

// ActionLabel is the Vietnamese name of an administration log action.
func ActionLabel(action string) string {
	if l, ok := auditLabels[action]; ok {
		return l
	}
	return action
}

var auditLabels = map[string]string{
	ActionView:             "Xem thông tin cá nhân trong hồ sơ",
	ActionPrint:            "In phiếu, biểu mẫu",
	ActionExportRegister:   "Xuất sổ theo dõi (có dữ liệu cá nhân)",
	ActionExportAudit:      "Xuất nhật ký",
	"backup.create":        "Sao lưu",
	"backup.auto":          "Sao lưu tự động",
	"backup.export":        "Xuất dữ liệu cơ quan",
	"backup.restore":       "Khôi phục dữ liệu",
	"backup.passphrase":    "Đặt mật khẩu sao lưu",
	"settings.update":      "Sửa cài đặt",
	"agency.update":        "Sửa thông tin cơ quan",
	"user.create":          "Tạo người dùng",
	"user.update":          "Sửa người dùng",
	"user.locked":          "Khóa tài khoản (đăng nhập sai)",
	"user.change_password": "Đổi mật khẩu",
	"user.reset_password":  "Đặt lại mật khẩu",
	"calendar.put":         "Sửa lịch làm việc",
	"calendar.delete":      "Xóa ngày trong lịch",
	"calendar.regenerate":  "Nạp lại ngày lễ",
	"procedure.save":       "Sửa thủ tục",
	"procedure.import":     "Nhập danh mục thủ tục",
	"outbox.retry":         "Gửi lại liên thông",
	"setup":                "Thiết lập cơ quan",
	"settings.secrets":     "Chuyển khóa liên thông ra khỏi cơ sở dữ liệu",
	"setup.demo":           "Tạo dữ liệu mẫu",
}

// AuditActionLabels are the Vietnamese names of every known action (the
// translation files list them).
func AuditActionLabels() []string {
	out := make([]string, 0, len(auditLabels))
	for _, l := range auditLabels {
		out = append(out, l)
	}
	return out
}

// AuditActions are the actions the log screen offers as a filter, with
// their labels: the record of processing first.
func AuditActions() []string {
	return []string{ActionView, ActionPrint, ActionExportRegister, "backup.export", "backup.restore",
		"backup.", "settings.update", "user.", ActionExportAudit}
}

// MaskID shows an identity number the way lists and the home screen do:
// the first four and the last two digits, the rest as dots (0361••••••45).
// Numbers of eight characters or fewer keep only their last two.
func MaskID(id string) string {
	id = strings.TrimSpace(id)
	n := utf8.RuneCountInString(id)
	if n == 0 {
		return ""
	}
	r := []rune(id)
	head := 4
	if n <= 8 {
		head = 0
	}
	if n <= head+2 {
		return strings.Repeat("•", n)
	}
	return string(r[:head]) + strings.Repeat("•", n-head-2) + string(r[n-2:])
}

// SeesWholeID reports whether u's work needs citizens' whole identity
// numbers: the officers who receive, process, approve and return dossiers.
// Everyone else (an administrator only) sees them masked.
func SeesWholeID(u *User) bool {
	return u != nil && (u.Has(RoleReceiver) || u.Has(RoleSpecialist) || u.Has(RoleLeader))
}

// IDFor is the identity number as u may see it on the detail screen.
func IDFor(u *User, id string) string {
	if SeesWholeID(u) {
		return id
	}
	return MaskID(id)
}

// PersonalDataNotice is the first row of an exported file that holds
// citizens' personal data.
const PersonalDataNotice = "TÀI LIỆU CÓ DỮ LIỆU CÁ NHÂN — chỉ dùng cho công việc, không chia sẻ, xóa khi không còn cần (Luật Bảo vệ dữ liệu cá nhân)"

// PersonalDataFileName marks the name of an exported file that holds
// personal data: so-theo-doi_20250401_20250430.xlsx →
// so-theo-doi_20250401_20250430_DU-LIEU-CA-NHAN.xlsx.
func PersonalDataFileName(name string) string {
	ext := filepath.Ext(name)
	return strings.TrimSuffix(name, ext) + "_DU-LIEU-CA-NHAN" + ext
}
