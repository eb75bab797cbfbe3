package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"motcua/app"
)

// Dates are shown dd/MM/yyyy in Vietnam time, amounts as "200.000 đ".

func fmtDate(t time.Time) string { return app.ShortDate(t) }

func fmtDateTime(t time.Time) string { return app.TimeDate(t) }

// fmtISODate turns a stored YYYY-MM-DD into dd/MM/yyyy.
func fmtISODate(s string) string {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return t.Format("02/01/2006")
}

// parseDate reads dd/MM/yyyy (also d/M/yyyy and dd-MM-yyyy) as a Vietnam date.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "-", "/"), ".", "/"))
	for _, f := range []string{"02/01/2006", "2/1/2006"} {
		if t, err := time.ParseInLocation(f, s, app.Vietnam); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New(lang.L("Ngày không hợp lệ (dd/mm/yyyy)"))
}

// isoDate turns dd/MM/yyyy into YYYY-MM-DD ("" stays "").
func isoDate(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	t, err := parseDate(s)
	if err != nil {
		return "", err
	}
	return t.Format("2006-01-02"), nil
}

func fmtMoney(v int64) string { return app.Money(v) }

// parseMoney reads "200.000", "200000" or "200.000 đ".
func parseMoney(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "đ"))
	s = strings.NewReplacer(".", "", ",", "", " ", "").Replace(s)
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		return 0, errors.New(lang.L("Số tiền không hợp lệ"))
	}
	return v, nil
}

func parseCount(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 || v > 999 {
		return 0, errors.New(lang.L("Nhập một số từ 0 đến 999"))
	}
	return v, nil
}

// render is m in the interface's language: its ID and its translatable
// arguments go through the translation files.
func render(m app.Message) string { return m.Render(func(s string) string { return lang.L(s) }) }

// message is the sentence to show for err: the message of an *app.Error
// (with its field messages when there is no sentence), translated, or a
// generic sentence for unexpected failures (the details go to the log).
func message(err error) string {
	if err == nil {
		return ""
	}
	var e *app.Error
	if errors.As(err, &e) {
		// An operation that wraps a domain error without a message of its
		// own (app.E(op, err)) shows the wrapped one's.
		for inner := e; inner != nil && e.ID == "" && len(e.Fields) == 0; {
			var next *app.Error
			if inner.Err == nil || !errors.As(inner.Err, &next) {
				break
			}
			if next.ID != "" || len(next.Fields) > 0 {
				e = next
			}
			inner = next
		}
		if e.ID != "" {
			return render(e.Message())
		}
		if len(e.Fields) > 0 {
			msgs := make([]string, len(e.Fields))
			for i, f := range e.Fields {
				msgs[i] = render(f.Message())
			}
			return strings.Join(msgs, "; ")
		}
		switch e.Kind {
		case app.KindNotFound:
			return lang.L("Không tìm thấy dữ liệu")
		case app.KindPermission:
			return lang.L("Bạn không có quyền thực hiện thao tác này")
		case app.KindConflict:
			return lang.L("Dữ liệu đã thay đổi, vui lòng tải lại")
		case app.KindLocked:
			return lang.L("Dữ liệu đang bị khóa")
		}
	}
	return fmt.Sprintf(lang.L("Có lỗi xảy ra: %s"), err.Error())
}

// errText is message(err) for domain errors and the error's own text for
// the plain errors of the screens' validators.
func errText(err error) string {
	var e *app.Error
	if errors.As(err, &e) {
		return message(err)
	}
	return err.Error()
}

// plain is a validator error whose text is the Vietnamese message of err.
func plain(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(message(err))
}

// fieldErrors returns the per-field messages of err.
func fieldErrors(err error) []app.FieldError {
	var e *app.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

func roleLabels(rs []app.Role) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = lang.L(r.Label())
	}
	return strings.Join(out, ", ")
}
