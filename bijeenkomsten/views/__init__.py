"""Views of bijeenkomsten: `publiek` for everyone, `beheer` for coördinatoren."""
