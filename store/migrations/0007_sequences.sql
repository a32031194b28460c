-- Numbers handed out in sequence (số thứ tự): a product code's STT within its commune and year, a
-- registration receipt's number, a certificate's number within its province and year. A number
-- belongs to one owner (the journey it was given to) for ever: asking again for the same owner
-- gives the same number, so a retried activity never takes a second one, and no two owners
-- share a number of the same scope.
CREATE TABLE sequence_numbers (
    scope       text NOT NULL,
    owner       text NOT NULL,
    number      integer NOT NULL CHECK (number > 0),
    assigned_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, owner),
    UNIQUE (scope, number)
);
