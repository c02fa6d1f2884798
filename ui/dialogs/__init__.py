"""Small dialogs of the case work: quick forms that call one service command and show its
Dutch `ValidationError` inline, keeping the dialog open so nothing typed is lost."""
