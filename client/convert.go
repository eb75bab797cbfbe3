package client

import (
	"strings"
	"time"

	"motcua/api"
	"motcua/app"
)

// Conversions between the domain (package app) and the wire (package api).

// A transfer's purpose, state and event type mean the same in app and api
// and are spelled the same: the conversions below are the one place that
// relies on it (TestTransferVocabularyMatches checks every constant both
// ways). TransferQueued and EventSnapshot are app's own and never travel.

func fromWirePurpose(p api.Purpose) app.TransferPurpose   { return app.TransferPurpose(p) }
func wirePurpose(p app.TransferPurpose) api.Purpose       { return api.Purpose(p) }
func fromWireState(s api.TransferState) app.TransferState { return app.TransferState(s) }
func fromWireEventType(t api.EventType) app.EventType     { return app.EventType(t) }

var idTypeWire = map[app.IDType]string{app.IDCCCD: "CCCD", app.IDCMND: "CMND", app.IDPassport: "HO_CHIEU", app.IDTaxCode: "MST"}

func wireIDType(t app.IDType) string {
	if w, ok := idTypeWire[t]; ok {
		return w
	}
	return strings.ToUpper(string(t))
}

func appIDType(w string) app.IDType {
	for k, v := range idTypeWire {
		if strings.EqualFold(v, w) {
			return k
		}
	}
	return app.IDType(strings.ToLower(w))
}

func vn(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(app.Vietnam)
}

func toWireDossier(d *app.Dossier, note string) api.Dossier {
	w := api.Dossier{
		DossierCode: d.Code, ProcedureCode: d.ProcedureCode, ProcedureName: d.ProcedureName, FieldName: d.Field,
		Channel: int(d.Channel), Summary: d.Summary, ReceivedAt: vn(d.ReceivedAt), DueAt: vn(d.DueAt),
		StatusCode: api.StatusCode(d.Status), Note: note,
		Applicant: api.Applicant{Kind: int(d.Applicant.Kind), FullName: d.Applicant.FullName, IDNumber: d.Applicant.IDNumber,
			BirthDate: d.Applicant.BirthDate, Phone: d.Applicant.Phone, Email: d.Applicant.Email, Address: d.Applicant.Address},
	}
	if w.Channel == 0 {
		w.Channel = int(app.ChannelInPerson)
	}
	if w.Applicant.Kind == 0 {
		w.Applicant.Kind = int(app.ApplicantCitizen)
	}
	if d.Applicant.IDType != "" {
		w.Applicant.IDType = wireIDType(d.Applicant.IDType)
	}
	for _, doc := range d.Documents {
		w.Documents = append(w.Documents, api.Document{Name: doc.Name, Originals: doc.Originals, Copies: doc.Copies,
			Photocopies: doc.Photocopies, SHA256: doc.SHA256, Size: doc.Size, MediaType: doc.MediaType})
	}
	for _, f := range d.Fees {
		w.Fees = append(w.Fees, api.Fee{Name: f.Name, AmountVND: f.Amount, Paid: f.Paid})
	}
	if d.Sets > 1 || d.ReturnPlace != "" {
		w.FormData = map[string]any{}
		if d.Sets > 1 {
			w.FormData["sets"] = d.Sets
		}
		if d.ReturnPlace != "" {
			w.FormData["return_place"] = d.ReturnPlace
		}
	}
	return w
}

func fromWireDossier(w api.Dossier) app.Dossier {
	d := app.Dossier{
		Code: w.DossierCode, ProcedureCode: w.ProcedureCode, ProcedureName: w.ProcedureName, Field: w.FieldName,
		Channel: app.Channel(w.Channel), Summary: w.Summary, ReceivedAt: vn(w.ReceivedAt), DueAt: vn(w.DueAt),
		Status: app.StatusCode(w.StatusCode), Sets: 1,
		Applicant: app.Person{Kind: app.ApplicantKind(w.Applicant.Kind), FullName: w.Applicant.FullName,
			IDType: appIDType(w.Applicant.IDType), IDNumber: w.Applicant.IDNumber, BirthDate: w.Applicant.BirthDate,
			Phone: w.Applicant.Phone, Email: w.Applicant.Email, Address: w.Applicant.Address},
	}
	for _, doc := range w.Documents {
		d.Documents = append(d.Documents, app.SubmittedDocument{Name: doc.Name, Originals: doc.Originals, Copies: doc.Copies,
			Photocopies: doc.Photocopies, SHA256: doc.SHA256, Size: doc.Size, MediaType: doc.MediaType})
	}
	for _, f := range w.Fees {
		d.Fees = append(d.Fees, app.Fee{Name: f.Name, Amount: f.AmountVND, Paid: f.Paid})
	}
	if n, ok := w.FormData["sets"].(float64); ok && n >= 1 {
		d.Sets = int(n)
	}
	if s, ok := w.FormData["return_place"].(string); ok {
		d.ReturnPlace = s
	}
	return d
}

func toWireStatus(s app.TransferStatus) api.StatusRequest {
	w := api.StatusRequest{StatusCode: api.StatusCode(s.Status), Note: s.Note, OccurredAt: vn(s.OccurredAt),
		NewDueAt: vn(s.NewDueAt), Actor: api.Actor{Name: s.Actor.Name, Title: s.Actor.Title, Unit: s.Actor.Unit}}
	if w.Actor.Name == "" {
		w.Actor.Name = "Cán bộ"
	}
	if s.Supplement != nil {
		w.Supplement = &api.Supplement{Request: s.Supplement.Request, Deadline: vn(s.Supplement.Deadline)}
	}
	for _, r := range s.Results {
		w.Results = append(w.Results, api.ResultDoc{Name: r.Name, Kind: r.Kind, Number: r.Number, SHA256: r.SHA256})
	}
	return w
}

func fromWireStatus(w *api.StatusRequest) *app.TransferStatus {
	if w == nil {
		return nil
	}
	s := &app.TransferStatus{Status: app.StatusCode(w.StatusCode), Note: w.Note, OccurredAt: vn(w.OccurredAt),
		NewDueAt: vn(w.NewDueAt), Actor: app.Actor{Name: w.Actor.Name, Title: w.Actor.Title, Unit: w.Actor.Unit}}
	if w.Supplement != nil {
		s.Supplement = &app.SupplementRequest{Request: w.Supplement.Request, Deadline: vn(w.Supplement.Deadline)}
	}
	for _, r := range w.Results {
		s.Results = append(s.Results, app.ResultFile{Name: r.Name, Kind: r.Kind, Number: r.Number, SHA256: r.SHA256})
	}
	return s
}

func fromWireAck(w *api.Ack) *app.TransferAck {
	if w == nil {
		return nil
	}
	return &app.TransferAck{Accepted: w.Accepted, LocalCode: w.LocalCode, Reason: w.Reason, At: vn(w.At)}
}

func fromWireRecall(w *api.Recall) *app.TransferRecall {
	if w == nil {
		return nil
	}
	return &app.TransferRecall{Reason: w.Reason, At: vn(w.At)}
}

func fromWireTransfer(w *api.Transfer) *app.TransferSnapshot {
	if w == nil {
		return nil
	}
	return &app.TransferSnapshot{ID: w.ID, GroupID: w.GroupID, Purpose: fromWirePurpose(w.Purpose), Follows: w.Follows, FromAgency: w.FromAgency,
		ToAgency: w.ToAgency, State: fromWireState(w.State), Version: int(w.Version), CreatedAt: vn(w.CreatedAt),
		UpdatedAt: vn(w.UpdatedAt), Dossier: fromWireDossier(w.Dossier), Note: w.Dossier.Note, Ack: fromWireAck(w.Ack),
		LastStatus: fromWireStatus(w.LastStatus), Recall: fromWireRecall(w.Recall)}
}

func fromWireEvent(e api.Event) app.TransferEvent {
	return app.TransferEvent{ID: e.ID, Type: fromWireEventType(e.Type), OccurredAt: vn(e.OccurredAt), TransferID: e.TransferID,
		Version: int(e.Version), DossierCode: e.DossierCode, FromAgency: e.FromAgency, ToAgency: e.ToAgency,
		Transfer: fromWireTransfer(e.Data.Transfer), Ack: fromWireAck(e.Data.Ack), Status: fromWireStatus(e.Data.Status),
		Recall: fromWireRecall(e.Data.Recall)}
}
