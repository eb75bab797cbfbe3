package forms

import "motcua/app"

// Printer renders forms for the use cases that produce one themselves (the
// online decisions send form 01, 02 or 03 back): it implements
// app.FormPrinter and the composition root passes it to the service.
type Printer struct{}

// PrintForm renders form kind (a Kind) for d, signed by.
func (Printer) PrintForm(kind string, ag app.Agency, st app.Settings, d *app.Dossier, by app.UserRef) ([]byte, error) {
	o := Office{Agency: ag, PublicURL: st.PublicURL, LookupURL: st.LookupURL, FormSet: st.FormSet, Paper: st.Paper}
	return Render(Kind(kind), o, d, by)
}

var _ app.FormPrinter = Printer{}
