package testgen

import (
	"encoding/json"
	"testing"

	"motcua/app"
)

func TestGenerateDossiersValid(t *testing.T) {
	ds := Dossiers(3000, 42, testAgency)
	again := Dossiers(3000, 42, testAgency)
	if !sameJSON(ds, again) {
		t.Error("not deterministic")
	}
	codes := map[string]bool{}
	states := map[app.State]int{}
	procs := map[string]int{}
	families := map[string]int{}
	var prev app.Dossier
	for i, d := range ds {
		ag, day, seq, err := app.ParseDossierCode(d.Code)
		if err != nil || ag != testAgency || codes[d.Code] {
			t.Fatalf("%d: code %q: %v", i, d.Code, err)
		}
		codes[d.Code] = true
		if day.Format("060102") != d.ReceivedAt.In(app.Vietnam).Format("060102") {
			t.Errorf("%s received %v", d.Code, d.ReceivedAt)
		}
		if i > 0 && d.ReceivedAt.Before(prev.ReceivedAt) {
			t.Errorf("%s received before %s", d.Code, prev.Code)
		}
		if i > 0 && prev.Code[:len(prev.Code)-5] == d.Code[:len(d.Code)-5] {
			_, _, pseq, _ := app.ParseDossierCode(prev.Code)
			if seq != pseq+1 {
				t.Errorf("%s follows %s", d.Code, prev.Code)
			}
		}
		for _, s := range []string{d.Applicant.FullName, d.Applicant.Address, d.Summary, d.ProcedureName} {
			if s != app.NFC(s) || s == "" {
				t.Errorf("%s: %q not NFC", d.Code, s)
			}
		}
		if !d.State.Valid() || d.Status != d.State.Code() || d.Version != 1 {
			t.Errorf("%s: state %s status %d version %d", d.Code, d.State, d.Status, d.Version)
		}
		if d.State.Open() && d.DueAt.IsZero() || d.State.Finished() && d.FinishedAt.IsZero() {
			t.Errorf("%s %s: due %v finished %v", d.Code, d.State, d.DueAt, d.FinishedAt)
		}
		if _, err := app.CheckPersonalID(app.IDCCCD, d.Applicant.IDNumber); err != nil {
			t.Errorf("%s: %v", d.Code, err)
		}
		if err := app.CheckPhone(d.Applicant.Phone); err != nil {
			t.Errorf("%s: %v", d.Code, err)
		}
		states[d.State]++
		procs[d.ProcedureCode]++
		families[app.Words(d.Applicant.FullName)[0]]++
		prev = d
	}
	if len(states) != len(app.AllStates()) || len(procs) != 10 || len(families) != 16 {
		t.Errorf("%d states, %d procedures, %d family names", len(states), len(procs), len(families))
	}
	if families["nguyen"] < 900 {
		t.Errorf("Nguyễn: %d of 3000", families["nguyen"])
	}
	t.Logf("states %v", states)
}

const testAgency = "000.00.01.H22"

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
