package app

import (
	"strings"
	"time"
	"unicode"
)

// The public face of a dossier (central-api.md v1.1): what anyone who
// scans the receipt's QR code may read on the hub. Nothing personal leaves
// the office beyond the masked name.

// PublicStatus is the body of PUT /v1/public-status/{code}.
type PublicStatus struct {
	Code            string     `json:"dossier_code"`
	Version         int        `json:"version"`
	ProcedureCode   string     `json:"procedure_code"`
	ProcedureName   string     `json:"procedure_name"`
	AgencyName      string     `json:"agency_name"`
	Status          StatusCode `json:"status_code"`
	ReceivedAt      time.Time  `json:"received_at"`
	DueAt           time.Time  `json:"due_at,omitzero"`
	FinishedAt      time.Time  `json:"finished_at,omitzero"`
	ReturnedAt      time.Time  `json:"returned_at,omitzero"`
	ApplicantMasked string     `json:"applicant_masked"`
}

// OutboxPublic publishes a dossier's public face.
const OutboxPublic OutboxKind = "public.status"

// publicQueue keeps the public faces apart from the dossier's transfer
// calls: a refused face never holds up a transfer.
func publicQueue(code string) string { return "public/" + code }

// MaskName keeps the first word of a name and the initial of every other
// one: "Nguyễn Văn An" → "Nguyễn V** A**".
func MaskName(name string) string {
	words := strings.Fields(NFC(name))
	for i := 1; i < len(words); i++ {
		r := []rune(words[i])
		words[i] = string(unicode.ToUpper(r[0])) + "**"
	}
	return strings.Join(words, " ")
}

// PublicFace is the public face of d at the agency named agencyName.
func PublicFace(d *Dossier, agencyName string) PublicStatus {
	p := PublicStatus{Code: d.Code, Version: d.Version, ProcedureCode: d.ProcedureCode, ProcedureName: d.ProcedureName,
		AgencyName: agencyName, Status: d.State.Code(), ReceivedAt: d.ReceivedAt, DueAt: d.DueAt,
		ReturnedAt: d.ReturnedAt, ApplicantMasked: MaskName(d.Applicant.FullName)}
	if d.State.Finished() {
		p.FinishedAt = d.FinishedAt
	}
	if !p.DueAt.IsZero() && p.DueAt.Before(p.ReceivedAt) {
		p.DueAt = time.Time{}
	}
	return p
}

// publishes reports whether a dossier has a public face: it has a code and
// was not received by transfer (the agency the citizen gave it to answers).
func publishes(d *Dossier) bool {
	return d.Code != "" && d.State != StateSubmitted && d.Reference == "" && !d.ReceivedAt.IsZero()
}

// publish queues d's public face when the office is connected to a hub.
func publish(tx Tx, d *Dossier, now time.Time) error {
	if !publishes(d) {
		return nil
	}
	st, err := tx.Settings()
	if err != nil || st.HubURL == "" {
		return err
	}
	ag, err := tx.Agency()
	if err != nil {
		return err
	}
	return enqueue(tx, OutboxPublic, publicQueue(d.Code), PublicFace(d, ag.Name), now)
}

// publishAll queues the public face of every dossier whose citizen may
// still look it up (everything but returned, refused, withdrawn, stopped):
// an office connected to a hub later publishes once what is open.
func publishAll(tx Tx, now time.Time) (int, error) {
	var states []State
	for _, s := range AllStates() {
		switch s {
		case StateSubmitted, StateReturned, StateRefused, StateWithdrawn, StateStopped:
			continue
		}
		states = append(states, s)
	}
	n := 0
	q := Query{States: states, Limit: 500}
	for {
		p, err := tx.ListDossiers(q)
		if err != nil {
			return n, err
		}
		for _, it := range p.Items {
			d, err := tx.Dossier(it.Code)
			if err != nil {
				return n, err
			}
			if !publishes(d) {
				continue
			}
			if err := publish(tx, d, now); err != nil {
				return n, err
			}
			n++
		}
		if p.Next == "" {
			return n, nil
		}
		q.After = p.Next
	}
}
