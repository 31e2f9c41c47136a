x = rb'\d'
