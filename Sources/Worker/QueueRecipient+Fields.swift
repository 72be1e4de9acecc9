import Compose
import PHPList

extension QueueRecipient {
    /// What composition needs of a recipient row.
    var subscriberFields: SubscriberFields {
        SubscriberFields(id: id, email: email, uniqid: uniqid, uuid: uuid, htmlEmail: htmlEmail,
                         attributes: attributes, listNames: listNames)
    }
}
