-- Customer-wide limits: concurrent channels and call attempts per second (NULL = unlimited). The channels
-- given to the company's SIP users must fit in its channel limit (enforced by the API under a company row lock).
ALTER TABLE companies ADD COLUMN channels integer CHECK (channels BETWEEN 0 AND 1000000);
ALTER TABLE companies ADD COLUMN cps integer CHECK (cps BETWEEN 0 AND 1000000);

