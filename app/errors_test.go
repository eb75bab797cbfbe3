package app

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestErrorsCarryMessageIDs(t *testing.T) {
	// tr stands for a translation file: two English texts, the rest upper case.
	tr := func(s string) string {
		switch s {
		case string(MsgNoTransfer):
			return "Dossier %s has no transfer %s"
		case string(MsgRecallAct):
			return "Recall"
		case string(MsgDenied):
			return "Not allowed to %s"
		}
		return strings.ToUpper(s)
	}
	cases := []struct {
		name     string
		err      error
		kind     Kind
		id       MsgID
		vi, tr   string // Text, and Render with upper
		wantText string // in Error()
	}{
		{"plain ID", E("Phone", KindInvalid, MsgPhone), KindInvalid, MsgPhone,
			string(MsgPhone), strings.ToUpper(string(MsgPhone)), "Phone: invalid: " + string(MsgPhone)},
		{"ID with arguments", E("TransferSent", KindNotFound, M(MsgNoTransfer, "C-1", "local-1")), KindNotFound, MsgNoTransfer,
			"Hồ sơ C-1 không có lượt liên thông local-1", "Dossier C-1 has no transfer local-1", ""},
		{"labels and IDs as arguments", ErrTransition("Approve", StateReceived, ActApprove), KindConflict, MsgTransition,
			fmt.Sprintf("Không thể thực hiện \"%s\" khi hồ sơ đang ở trạng thái \"%s\"", ActApprove.Label(), StateReceived.Label()), "", ""},
		{"ID argument", deny("Recall", MsgRecallAct), KindPermission, MsgDenied,
			"Tài khoản của bạn không có quyền \"Thu hồi hồ sơ liên thông\"", "Not allowed to Recall", ""},
		{"plain string from another package", E("forms", KindInvalid, "Chưa chọn hồ sơ"), KindInvalid, "Chưa chọn hồ sơ",
			"Chưa chọn hồ sơ", "CHƯA CHỌN HỒ SƠ", ""},
		{"wrapped", fmt.Errorf("outer: %w", E("Email", KindInvalid, MsgEmail)), KindInvalid, MsgEmail, string(MsgEmail), "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if KindOf(c.err) != c.kind || IDOf(c.err) != c.id {
				t.Fatalf("kind %v id %q, want %v %q", KindOf(c.err), IDOf(c.err), c.kind, c.id)
			}
			var e *Error
			if !errors.As(c.err, &e) {
				t.Fatal("not an *Error")
			}
			if got := e.Message().Text(); got != c.vi {
				t.Errorf("Text = %q, want %q", got, c.vi)
			}
			if got := e.Message().Render(tr); c.tr != "" && got != c.tr {
				t.Errorf("Render = %q, want %q", got, c.tr)
			}
			if c.wantText != "" && c.err.Error() != c.wantText {
				t.Errorf("Error() = %q, want %q", c.err.Error(), c.wantText)
			}
		})
	}

	// A check's error becomes a field's message; a foreign error a generic one.
	f := fieldFrom("phone", CheckPhone("12"))
	if f.Field != "phone" || f.ID != MsgPhone {
		t.Errorf("fieldFrom = %+v", f)
	}
	if f := fieldFrom("x", errors.New("boom")); f.ID != MsgValue {
		t.Errorf("fieldFrom(foreign) = %+v", f)
	}
	// A catalogue entry's error names the entry and keeps the entry's message.
	_, err := ParseCatalogue([]byte(`[{"code":"x","name":"A","field":"B"}]`))
	var e *Error
	if !errors.As(err, &e) || e.ID != MsgCatalogueEntry || !strings.Contains(e.Message().Text(), "Thủ tục thứ 1 (x): ") {
		t.Errorf("ParseCatalogue: %v", err)
	}
}
