package app_test

import (
	"testing"

	"motcua/app"
)

func TestSavePrintSettings(t *testing.T) {
	o := newOffice(t)
	st, _ := o.svc.Settings()
	st.PublicURL, st.Paper = "  https://dichvucong.ninhbinh.gov.vn  ", "A5"
	if err := o.svc.SaveSettings(o.admin, st); err != nil {
		t.Fatal(err)
	}
	got, _ := o.svc.Settings()
	if got.PublicURL != "https://dichvucong.ninhbinh.gov.vn" || got.Paper != "A5" {
		t.Errorf("saved %q %q", got.PublicURL, got.Paper)
	}
	for _, bad := range []app.Settings{func() app.Settings { s := st; s.Paper = "Letter"; return s }(),
		func() app.Settings { s := st; s.PublicURL = "dichvucong.gov.vn"; return s }()} {
		if err := o.svc.SaveSettings(o.admin, bad); !app.Is(err, app.KindInvalid) {
			t.Errorf("%q %q accepted: %v", bad.Paper, bad.PublicURL, err)
		}
	}
}
