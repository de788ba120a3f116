"""Building blocks shared by every screen: task runner, lazy table model, fonts, screenshots."""
