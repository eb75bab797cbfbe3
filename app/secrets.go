package app

// Secrets at rest. The hub key (khóa liên thông) belongs to this computer,
// not to the office's data: with a Secrets port it is kept outside the
// database (DPAPI on Windows, a 0600 file elsewhere), so no backup, export
// or copy of the database carries it. After a restore on a new computer
// the administrator enters it again (the province issues it).

// secretHubKey names the hub key in the Secrets port.
const secretHubKey = "hub_key"

// withSecrets fills the hub key of st from the secrets of this computer;
// a key still in the database (from before) is used until it is moved.
func (s *Service) withSecrets(st *Settings) error {
	if s.secrets == nil {
		return nil
	}
	k, err := s.secrets.Secret(secretHubKey)
	if err != nil {
		return err
	}
	if k != "" {
		st.HubKey = k
	}
	return nil
}

// keepSecrets moves the hub key of st (about to be stored) into the
// secrets of this computer.
func (s *Service) keepSecrets(st *Settings) error {
	if s.secrets == nil {
		return nil
	}
	if err := s.secrets.SetSecret(secretHubKey, st.HubKey); err != nil {
		return err
	}
	st.HubKey = ""
	return nil
}

// MoveSecretsOut moves a hub key still stored in the database (an office
// from before, or restored from an old backup) into the secrets of this
// computer, leaving none in the database. The composition root calls it
// whenever it opens a store.
func (s *Service) MoveSecretsOut() error {
	if s.secrets == nil {
		return nil
	}
	return s.store.Update(func(tx Tx) error {
		st, err := tx.Settings()
		if err != nil || st.HubKey == "" {
			return err
		}
		if err := s.keepSecrets(&st); err != nil {
			return err
		}
		if err := tx.PutSettings(st); err != nil {
			return err
		}
		return s.audit(tx, UserRef{Username: "system", FullName: "Chương trình"}, "settings.secrets", "", "khóa liên thông chuyển ra khỏi cơ sở dữ liệu")
	})
}
