// The filter language. Words are lexed greedily up to white space, a parenthesis or a quote, so an operator is an
// operator only when white space surrounds it: "method=POST" is one word, and an error. A word that starts with '&'
// names the number of values of a variable ("&RULE_ID = 0"); as a value it is an ordinary word.
grammar Filter;

filter    : orExpr? EOF ;
orExpr    : andExpr (OR andExpr)* ;
andExpr   : unary (AND unary)* ;
unary     : NOT unary                      # notExpr
          | LPAREN orExpr RPAREN           # groupExpr
          | condition                      # conditionExpr
          ;
condition : variable=(BARE | COUNT) operator value ;
operator  : EQ | EQEQ | NE | LTGT | LT | LE | GT | GE | NAMED_OP ;
value     : SQ_STRING | DQ_STRING | word ;
word      : BARE | COUNT | AND | OR | NOT ;

AND       : [aA] [nN] [dD] ;
OR        : [oO] [rR] ;
NOT       : [nN] [oO] [tT] ;
EQEQ      : '==' ;
EQ        : '=' ;
NE        : '!=' ;
LTGT      : '<>' ;
LE        : '<=' ;
GE        : '>=' ;
LT        : '<' ;
GT        : '>' ;
NAMED_OP  : '!'? '@' [a-zA-Z]+ ;
LPAREN    : '(' ;
RPAREN    : ')' ;
SQ_STRING : '\'' ( '\\' . | ~['\\] )* '\'' ;
DQ_STRING : '"' ( '\\' . | ~["\\] )* '"' ;
// A quote that is never closed: longer matches above win whenever the closing quote exists.
UNTERMINATED : ( '\'' ( '\\' . | ~['\\] )* | '"' ( '\\' . | ~["\\] )* ) ;
// Before BARE, which matches the same text: the first rule wins a tie.
COUNT     : '&' ~[ \t\r\n()'"]+ ;
BARE      : ~[ \t\r\n()'"]+ ;
WS        : [ \t\r\n]+ -> channel(HIDDEN) ;
