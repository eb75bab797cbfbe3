package ui

import (
	"strings"
	"testing"

	"motcua/app"
)

func TestStatisticsScreen(t *testing.T) {
	e := newEnv(t)
	rcv, err := e.svc.SeedDemo(testNow)
	if err != nil {
		t.Fatal(err)
	}
	e.signIn(rcv)
	e.ui.shell.go_("stats")
	s := e.ui.shell.screens["stats"].(*statsScreen)
	if s.rep == nil {
		t.Fatalf("no report: %q", s.errLine.Text)
	}
	if !strings.HasPrefix(s.period.Text, "Kỳ báo cáo:") {
		t.Errorf("period line %q", s.period.Text)
	}
	s.kind.set(app.PeriodKindYear)
	s.run()
	if s.rep.Total.Received() == 0 {
		t.Errorf("the year's report counts nothing: %+v", s.rep.Total)
	}
	s.kind.set(app.PeriodKindCustom)
	s.from.entry.SetText("31/02/2025")
	s.run()
	if !s.errLine.Visible() {
		t.Error("a bad custom date was accepted")
	}
}
