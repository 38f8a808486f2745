# placeholder: replaced by the guest build (guest/ owner)
GUEST_ALL :=
