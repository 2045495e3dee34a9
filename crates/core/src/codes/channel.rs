//! The `E4xxx` family: dealers (offers, territories) and the dealer channel (WhatsApp).

use super::family_codes;

family_codes! {
    /// Dealers and the dealer channel (`E4xxx`).
    ChannelCode: Channel {
        /// An offer names a node that is not a dealer.
        OfferNotADealer = "E4001" => "offer the order to a node of kind dealer, or ship it as an assignment",
        /// An offer cannot make this move from its state.
        IllegalMove = "E4002" => "an offer is offered, then accepted then shipped, or rejected or timed out",
        /// A dealer answered an offer at or after its deadline.
        LateAnswer = "E4003" => "the offer timed out; the order is re-routed without that dealer",
        /// The territories file is not GeoJSON, or not a FeatureCollection.
        NotACollection = "E4010" => "write a GeoJSON FeatureCollection: {\"type\": \"FeatureCollection\", \
            \"features\": [...]} (docs/formats.md)",
        /// A feature has no string `properties.node_id`.
        NoNodeId = "E4011" => "give every feature \"properties\": {\"node_id\": \"<a dealer of nodes.csv>\"}",
        /// A feature's `node_id` is not in the nodes file.
        UnknownTerritoryNode = "E4012" => "use the node_id of a dealer in nodes.csv, or drop the feature",
        /// A feature's `node_id` names a node that is not a dealer.
        TerritoryNotADealer = "E4013" => "set the node's kind to dealer, or drop the feature",
        /// A feature's geometry is not a Polygon or MultiPolygon.
        NotAPolygon = "E4014" => "give the feature a Polygon or MultiPolygon geometry",
        /// A ring that is not closed or has fewer than 4 positions, or a polygon without a ring.
        OpenRing = "E4015" => "repeat the first position at the end of every ring (GeoJSON, RFC 7946 §3.1.6)",
        /// A position outside the world.
        OutsideWorld = "E4016" => "write [longitude, latitude] in degrees: longitude first, in [-180, 180], \
            latitude in [-90, 90]",
        /// A `whatsapp` cell that is not an E.164 phone number.
        BadPhone = "E4020" => "write + then the country code and number, digits only, like +919812345678",
        /// The WhatsApp Cloud API refused a message for good.
        SendRefused = "E4021" => "check the access token, the number and the template (see docs/errors.md)",
        /// The WhatsApp Cloud API did not take a message after every retry.
        SendUnavailable = "E4022" => "check the network and --whatsapp-base-url",
        /// The WhatsApp channel is not configured (an environment variable is missing).
        NotConfigured = "E4023" => "see docs/errors.md#e4023",
        /// A webhook body is not JSON.
        WebhookMalformed = "E4030" => "see docs/errors.md",
        /// A webhook body is not a WhatsApp Business Account payload.
        NotWhatsApp = "E4031" => "see docs/errors.md",
        /// A button reply that is not an offer's, or names an unknown offer.
        UnknownButton = "E4032" => "answer an offer this server sent",
        /// A webhook POST without a valid `X-Hub-Signature-256` header.
        MissingSignature = "E4033" => "see docs/errors.md",
        /// A webhook signature that does not match the body.
        BadSignature = "E4034" => "see docs/errors.md",
        /// The GET verification handshake was refused.
        Handshake = "E4035" => "see docs/errors.md",
        /// A button reply answers an offer sent to another number.
        WrongNumber = "E4036" => "only the dealer an offer went to can answer it",
    }
}
